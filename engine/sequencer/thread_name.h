// Names the calling thread (as `top`, `perf` and `/proc/PID/task/*/comm` show it), so an operator
// or a profile can tell the writer, the persister, the replicas and the I/O threads apart.
// Linux keeps 15 characters; longer names are cut.
#pragma once

#include <pthread.h>

#include <string>

namespace carebroker::sequencer {

inline void name_this_thread(const std::string& name) {
  const std::string cut = name.substr(0, 15);
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace carebroker::sequencer
