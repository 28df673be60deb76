list(APPEND TRADESIM_IO_TEST_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/io/csv_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/output_dir_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/run_writer_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/sha256_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/io/output_estimate_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/analysis/summary_test.cpp)
# tradesim generate (issue 9)
list(APPEND TRADESIM_IO_TEST_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/io/generate_test.cpp)
