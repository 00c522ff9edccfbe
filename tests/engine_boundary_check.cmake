# The boundary README.md promises: engine/market/ holds the pure market rules — no I/O, no threads,
# no clock, no store. This script fails (and names the file and the include) when a file there
# includes anything that would break that promise. Run by CTest as `engine_market_is_pure`.
set(forbidden
  "<thread>" "<mutex>" "<shared_mutex>" "<condition_variable>" "<atomic>" "<future>"
  "<chrono>" "<ctime>" "<random>" "<fstream>" "<filesystem>" "<iostream>"
  "<unistd.h>" "<sys/" "<rocksdb/" "<boost/asio" "<boost/beast" "<flatbuffers/"
  "\"engine/store/" "\"engine/sequencer/" "\"engine/replica/" "\"gateway/")
file(GLOB sources "${MARKET_DIR}/*.h" "${MARKET_DIR}/*.cpp")
set(broken "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    foreach(bad IN LISTS forbidden)
      string(FIND "${line}" "${bad}" at)
      if(NOT at EQUAL -1)
        get_filename_component(name "${source}" NAME)
        list(APPEND broken "engine/market/${name}: ${line}")
      endif()
    endforeach()
  endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${MARKET_DIR}")
endif()
if(broken)
  string(REPLACE ";" "\n  " listing "${broken}")
  message(FATAL_ERROR "engine/market/ must stay pure (no I/O, threads, clock or store):\n  ${listing}")
endif()
message(STATUS "engine/market/: ${count} files, none includes I/O, threads, a clock or the store")
