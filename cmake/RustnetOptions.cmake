# One place for warnings and sanitizers; every target of ours calls rustnet_set_options().
option(RUSTNET_WERROR "Treat warnings as errors" ON)

function(rustnet_set_options target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  # No -Wnull-dereference: with optimisation g++ 12 reports it inside libstdc++'s own
  # stream iterators, which -Werror would turn into failed release builds.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wimplicit-fallthrough)
  if(RUSTNET_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# A stage of the pipeline (see DESIGN.md): a static library whose headers are reachable only
# as "<stage>/<file>.h" through a per-stage include root. A stage links only the stages above
# it, so a lower stage that includes a higher stage's header fails to compile.
function(rustnet_stage name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  set(inc "${CMAKE_BINARY_DIR}/stage-include/${name}")
  file(MAKE_DIRECTORY "${inc}")
  if(NOT EXISTS "${inc}/${name}")
    file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}" "${inc}/${name}" SYMBOLIC)
  endif()
  add_library(rustnet_${name} STATIC ${ARG_SOURCES})
  target_include_directories(rustnet_${name} PUBLIC "${inc}")
  set(deps "")
  foreach(d ${ARG_DEPS})
    list(APPEND deps rustnet_${d})
  endforeach()
  target_link_libraries(rustnet_${name} PUBLIC ${deps} ${ARG_LIBS})
  rustnet_set_options(rustnet_${name})
endfunction()
