# Scenario reader: YAML -> located Doc (extends, remove, --set) -> validated model::Scenario.
list(APPEND TRADESIM_IO_READER_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/doc.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_reader.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_fields.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_world.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_policies.cpp)
