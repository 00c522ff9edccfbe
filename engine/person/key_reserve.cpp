// Person keys made ahead on a thread of their own; see key_reserve.h.
#include "engine/person/key_reserve.h"

#include <pthread.h>

#include <cstdio>
#include <utility>

namespace carebroker::person {

KeyReserve::KeyReserve(PersonKeys& keys, Options options) : keys_(keys), options_(options) {
  if (options_.own_thread) thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "cb-person-keys");
      run();
    });
}

KeyReserve::~KeyReserve() { stop(); }

void KeyReserve::take(Ready ready) {
  std::unique_lock lock(mutex_);
  if (!ready_.empty()) {
    PersonKeys::Created key = std::move(ready_.front());
    ready_.pop_front();
    wake_.notify_one();  // make another
    lock.unlock();
    ready(Taken{std::move(key), {}});
    return;
  }
  if (stopping_) {
    lock.unlock();
    ready(Taken{std::nullopt, "the server is stopping"});
    return;
  }
  if (!options_.own_thread) {
    lock.unlock();
    ready(make_key());
    return;
  }
  failed_ = false;  // asked again: try again
  waiting_.push_back(std::move(ready));
  wake_.notify_one();
}

void KeyReserve::discard(std::string key_id) {
  {
    std::lock_guard lock(mutex_);
    if (options_.own_thread && !stopped_) {
      discards_.push_back(std::move(key_id));
      wake_.notify_one();
      return;
    }
  }
  // No thread to do it (none of its own, or stopped: a posting refused while the server stops).
  destroy_now(key_id);
}

void KeyReserve::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::deque<Ready> waiting;
  std::deque<PersonKeys::Created> never_used;
  std::deque<std::string> discards;
  {
    std::lock_guard lock(mutex_);
    waiting.swap(waiting_);
    never_used.swap(ready_);
    discards.swap(discards_);
    stopped_ = true;  // from here a discard destroys at once
  }
  for (Ready& ready : waiting) ready(Taken{std::nullopt, "the server is stopping"});
  for (const std::string& key_id : discards) destroy_now(key_id);
  for (const PersonKeys::Created& key : never_used) destroy_now(key.key_id);
}

KeyReserve::Taken KeyReserve::make_key() {
  Taken made;
  made.key = keys_.create(made.error);
  return made;
}

std::size_t KeyReserve::ready_keys() const {
  std::lock_guard lock(mutex_);
  return ready_.size();
}

void KeyReserve::destroy_now(const std::string& key_id) {
  std::string error;
  if (!keys_.destroy(key_id, error))
    std::fprintf(stderr, "carebroker: an unused person key %s could not be destroyed (nothing was sealed under it): %s\n",
                 key_id.c_str(), error.c_str());
}

void KeyReserve::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] {
      return stopping_ || !discards_.empty() || !waiting_.empty() || (ready_.size() < options_.keep_ready && !failed_);
    });
    if (stopping_) return;  // stop() finishes what is left
    if (!discards_.empty()) {
      const std::string key_id = std::move(discards_.front());
      discards_.pop_front();
      lock.unlock();
      destroy_now(key_id);
      lock.lock();
      continue;
    }
    lock.unlock();
    Taken made = make_key();
    lock.lock();
    if (!made.key) {
      // Everyone waiting now hears why; no refill until someone asks again (a full or broken
      // disk is not retried in a loop).
      failed_ = true;
      std::deque<Ready> failed;
      failed.swap(waiting_);
      lock.unlock();
      std::fprintf(stderr, "carebroker: cannot make a person key: %s\n", made.error.c_str());
      for (Ready& ready : failed) ready(Taken{std::nullopt, made.error});
      lock.lock();
      continue;
    }
    if (waiting_.empty()) {
      ready_.push_back(std::move(*made.key));
      continue;
    }
    Ready ready = std::move(waiting_.front());
    waiting_.pop_front();
    lock.unlock();
    ready(std::move(made));
    lock.lock();
  }
}

}  // namespace carebroker::person
