// A few person keys made ahead, durably, on a thread of their own, so that posting a package
// never waits on the disk on the thread that took the request. Making a key costs two fsyncs
// (its file and the key directory: person_keys.h): 0.6 ms on a quiet disk here, 5–10 ms on a
// busy one, and a server with one I/O thread held every provider's offers up behind it. A post
// now takes a key already made; when a burst has used them all, it waits (in the order asked)
// on the reserve's thread, never on an I/O thread. A key handed out that no package came to use
// (the posting was refused, not saved, or answered from an earlier one) is destroyed there too.
// The keys made ahead are keys like any other: durable before any package uses them, and each
// handed out once. A clean stop destroys those never handed out; after a crash up to
// `keep_ready` such files stay in the directory, harmless: nothing was ever sealed under them.
// Thread-safe: any thread may take and discard.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/person/person_keys.h"

namespace carebroker::person {

class KeyReserve {
 public:
  struct Options {
    std::size_t keep_ready = 16;  ///< keys made ahead (ignored without a thread of its own)
    /// false: every key is made, and every discarded one destroyed, on the caller's thread when
    /// asked (tests of the routes above it, and programs with no requests to keep moving).
    bool own_thread = true;
  };
  /// A key handed out, or why there is none (the store could not make one, or the reserve is
  /// stopping).
  struct Taken {
    std::optional<PersonKeys::Created> key;
    std::string error;
  };
  using Ready = std::function<void(Taken)>;

  /// `keys` is open and outlives the reserve. Starts the thread (own_thread).
  KeyReserve(PersonKeys& keys, Options options);
  ~KeyReserve();
  KeyReserve(const KeyReserve&) = delete;
  KeyReserve& operator=(const KeyReserve&) = delete;

  /// Calls `ready` with a new durable key that no one else is given: on the calling thread
  /// when one is ready, otherwise on the reserve's thread once it is made. When the store cannot
  /// make one, `ready` gets the error, as does every request waiting then; the next take tries
  /// again. `ready` must not block.
  void take(Ready ready);
  /// Destroys `key_id`, a key handed out that no package came to use: on the reserve's thread,
  /// or at once on the caller's when there is none (none of its own, or stopped).
  void discard(std::string key_id);
  /// Requests still waiting get an error, discards still queued are done, and the keys made
  /// ahead and never handed out are destroyed. Takes after this get an error at once. From one
  /// thread at a time; a second stop does nothing.
  void stop();
  /// Keys made and not yet handed out.
  std::size_t ready_keys() const;

 private:
  void run();
  Taken make_key();
  void destroy_now(const std::string& key_id);

  PersonKeys& keys_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PersonKeys::Created> ready_;  // guarded by mutex_
  std::deque<Ready> waiting_;              // guarded by mutex_
  std::deque<std::string> discards_;       // guarded by mutex_
  bool failed_ = false;    // guarded by mutex_: the last make failed; refill waits for a take
  bool stopping_ = false;  // guarded by mutex_: the thread is to end
  bool stopped_ = false;   // guarded by mutex_: stop() has ended the thread and done what was left
  std::thread thread_;
};

}  // namespace carebroker::person
