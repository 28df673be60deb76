# Scenario reader: YAML -> located Doc (extends, remove, --set) -> validated model::Scenario.
list(APPEND TRADESIM_IO_READER_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/doc.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/doc_emit.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/doc_load.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/doc_override.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/doc_parse.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_build.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_buyers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_fields.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_multi_tier.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_policies.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_reader.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_schema.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_suppliers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/scenario_world.cpp)
