// How the server's threads present themselves to the operating system: a name (as `top`, `perf`
// and /proc/PID/task/*/comm show it, so an operator or a profile can tell the writer, the
// replicas and the I/O threads apart) and, for threads that only serve reads, a
// lower CPU priority, so that on a busy machine the scheduler runs the write path first.
#pragma once

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>

namespace carebroker::sequencer {

/// Linux keeps 15 characters of a thread's name; longer names are cut.
inline void name_this_thread(const std::string& name) {
  const std::string cut = name.substr(0, 15);
  pthread_setname_np(pthread_self(), cut.c_str());
}

/// The nice value of a background thread (the process's own is 0 by default): the scheduler
/// gives it about a tenth of the CPU share of a normal thread when both want a core, and all of
/// an otherwise idle one.
inline constexpr int kBackgroundNice = 10;

/// Lowers the calling thread's CPU priority (Linux: nice is per thread). Raising nice needs no
/// privilege; a failure leaves the thread as it was, which is only slower under contention.
inline void make_this_thread_background() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
}

/// Lets the calling thread run only when a core would otherwise be idle (Linux SCHED_IDLE, per
/// thread, no privilege needed): for work that may wait as long as it must, such as a periodic
/// snapshot. Falls back to the background nice value where that policy is refused.
inline void make_this_thread_idle_only() {
  sched_param none{};
  if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) make_this_thread_background();
}

}  // namespace carebroker::sequencer
