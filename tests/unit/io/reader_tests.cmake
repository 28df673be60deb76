list(APPEND TRADESIM_IO_TEST_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/io/doc_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/scenario_reader_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/bad_input_golden_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/loader_limits_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/scenario_format_test.cpp)
# Crashers found by fuzzing (fuzz/regressions), each as a unit test.
list(APPEND TRADESIM_IO_TEST_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/io/fuzz_regressions_test.cpp)
