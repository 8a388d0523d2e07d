# What `cmake --install` puts where, the pkg-config file, the CMake package
# config and the Debian package (cpack -G DEB); docs/install.md explains the
# choices.  The man pages and the completion script have their own install
# rules, in docs/man/ and completion/.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS funnelmc_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS funnelmc funnelmc_shared EXPORT funnelmcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/funnelmc
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set(funnelmc_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/funnelmc)
install(EXPORT funnelmcTargets NAMESPACE funnelmc:: DESTINATION ${funnelmc_cmake_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/funnelmcConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/funnelmcConfig.cmake
                              INSTALL_DESTINATION ${funnelmc_cmake_dir})
# Before 1.0 a minor version may change the interface (docs/install.md).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/funnelmcConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/funnelmcConfig.cmake
              ${PROJECT_BINARY_DIR}/funnelmcConfigVersion.cmake
        DESTINATION ${funnelmc_cmake_dir})

# funnelmc.pc: what a program linking libfunnelmc.a needs besides GSL and
# libyaml (Requires.private) is what the static library links here: HDF5,
# OpenMP, libm and, built with MPI, MPI: by its own pkg-config module where
# it has one (Open MPI's ompi-c), else by the libraries CMake found.
set(FUNNELMC_PC_REQUIRES_PRIVATE "gsl yaml-0.1")
set(FUNNELMC_PC_LIBS_PRIVATE "")
set(pc_libraries ${FUNNELMC_HDF5_LIBRARIES} ${OpenMP_C_FLAGS} m)
if(FUNNELMC_MPI)
  pkg_check_modules(FUNNELMC_PC_OMPI QUIET ompi-c)
  if(FUNNELMC_PC_OMPI_FOUND)
    string(APPEND FUNNELMC_PC_REQUIRES_PRIVATE " ompi-c")
  else()
    list(APPEND pc_libraries ${MPI_C_LIBRARIES})
  endif()
endif()
foreach(library IN LISTS pc_libraries)
  if(library MATCHES "^(/|-)")
    string(APPEND FUNNELMC_PC_LIBS_PRIVATE " ${library}")
  else()
    string(APPEND FUNNELMC_PC_LIBS_PRIVATE " -l${library}")
  endif()
endforeach()
string(STRIP "${FUNNELMC_PC_LIBS_PRIVATE}" FUNNELMC_PC_LIBS_PRIVATE)
# The prefix is known only when installing (cmake --install --prefix P, or
# cpack's /usr), so the file is written then, from a template filled now
# but for the prefix.
set(FUNNELMC_PC_PREFIX "@FUNNELMC_PC_PREFIX@")
configure_file(${CMAKE_CURRENT_LIST_DIR}/funnelmc.pc.in ${PROJECT_BINARY_DIR}/funnelmc.pc.in.prefix
               @ONLY)
install(CODE "
  set(FUNNELMC_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/funnelmc.pc.in.prefix\" \"${PROJECT_BINARY_DIR}/funnelmc.pc\" @ONLY)")
install(FILES ${PROJECT_BINARY_DIR}/funnelmc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/funnelmc/scenarios FILES_MATCHING PATTERN "*.yaml")
# The documentation as it lies in the source tree, README and CHANGELOG
# beside docs/, so that their links to each other resolve: docs/*.md, the
# README's report pictures (0.6 MB) and the Slurm script it points to.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(GLOB funnelmc_docs ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.png)
install(FILES ${funnelmc_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(FILES ${PROJECT_SOURCE_DIR}/docs/slurm/funnelmc.sbatch DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs/slurm)
install(FILES ${PROJECT_SOURCE_DIR}/examples/embed.c DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# One Debian package holds everything (docs/install.md says why); build it
# from a portable build configured with -DCMAKE_INSTALL_PREFIX=/usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME funnelmc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Monte Carlo simulator of the profit of a social-media funnel")
set(CPACK_PACKAGE_DESCRIPTION
    "funnelmc samples the uncertain inputs of a scenario file (followers, click, opt-in
and purchase rates, prices, hours, cost lines) millions of times on all cores,
and reports the profit with its uncertainty, what drives it and which lever
pays most, in an HDF5 file and on the terminal; results are bit-identical for
any number of threads.  The package holds the program, its man pages and bash
completion, the scenario library, and libfunnelmc (shared and static) with its
headers, pkg-config file and CMake package config.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER
    "funnelmc maintainers <maintainers@users.noreply.h-seed-97226df5.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Building against the library needs its dependencies' development files
# (pkg-config reads gsl.pc and yaml-0.1.pc); running the program does not.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pkg-config, libgsl-dev, libyaml-dev, libhdf5-dev")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Install into the staging directory under DESTDIR, so that the prefix the
# pkg-config file is written with is /usr, not the staging directory.
set(CPACK_SET_DESTDIR ON)
include(CPack)
