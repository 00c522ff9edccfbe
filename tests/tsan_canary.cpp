// A deliberate data race, built only in the ThreadSanitizer tree: CTest expects this program to
// fail (WILL_FAIL). It proves that the tree really is instrumented and that tests/tsan.supp, which
// silences what RocksDB's uninstrumented build makes TSan see, does not also silence a race of
// ours: were either untrue, threaded_tests_under_tsan could pass without checking anything.
#include <cstdio>
#include <thread>

namespace {
int shared_count = 0;  // written by two threads with no lock: the race TSan must report
}

int main() {
  std::thread other([] { ++shared_count; });
  ++shared_count;
  other.join();
  std::printf("shared_count %d\n", shared_count);
  return 0;  // TSan turns this into exit code 66 when it reported the race
}
