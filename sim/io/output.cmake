list(APPEND TRADESIM_IO_OUTPUT_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/csv.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/output_dir.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/run_writer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/manifest.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/sha256.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/output_estimate.cpp)
# Ensembles: the plan of a job, parts of runs, and their merging (run --runs, sweep, reduce).
list(APPEND TRADESIM_IO_OUTPUT_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/ensemble_plan.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/ensemble_parts.cpp)
list(APPEND TRADESIM_IO_OUTPUT_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/csv_reader.cpp ${CMAKE_CURRENT_SOURCE_DIR}/run_reader.cpp ${CMAKE_CURRENT_SOURCE_DIR}/compare_report.cpp)
# Synthetic scenarios of a given size (tradesim generate, issue 9).
list(APPEND TRADESIM_IO_OUTPUT_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/generate.cpp)
