set(TRADESIM_ANALYSIS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/summary.cpp ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium.cpp)
# The equilibrium solver by what each file does: the policy state and its route rules, demand,
# the exact and linear solvers, states, surplus and welfare, result rows.
list(APPEND TRADESIM_ANALYSIS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_context.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_demand.cpp ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_exact.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_linear.cpp ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_state.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_welfare.cpp ${CMAKE_CURRENT_SOURCE_DIR}/equilibrium_rows.cpp)
list(APPEND TRADESIM_ANALYSIS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ensemble.cpp ${CMAKE_CURRENT_SOURCE_DIR}/sweep_design.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/morris.cpp)
list(APPEND TRADESIM_ANALYSIS_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/compare.cpp)
