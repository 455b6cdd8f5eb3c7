# Every dependency is a Debian 12 package (README, *Dependencies*); nothing is
# downloaded.
find_package(Boost 1.74 REQUIRED)
find_package(TBB REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C HL)
find_package(toml11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)

# Random123 ships no CMake configuration: find its header and wrap it in a target. It compiles
# warning-free only as a SYSTEM include.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(random123 INTERFACE)
target_include_directories(random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

# HDF5: the high-level library carries dimension scales (H5DS); hdf5::hdf5 carries the includes.
add_library(lwsim_hdf5 INTERFACE)
target_link_libraries(lwsim_hdf5 INTERFACE hdf5::hdf5 hdf5::hdf5_hl)

# MPI (Open MPI from Debian) for one job across ranks: on by default when found; a machine
# without MPI still builds (LWSIM_MPI=AUTO). HDF5 stays serial: rank 0 is the one writer.
set(LWSIM_MPI "AUTO" CACHE STRING "Build with MPI: AUTO (when found), ON or OFF")
set_property(CACHE LWSIM_MPI PROPERTY STRINGS AUTO ON OFF)
set(LWSIM_HAVE_MPI OFF)
if(NOT LWSIM_MPI STREQUAL "OFF")
  if(LWSIM_MPI STREQUAL "ON")
    find_package(MPI REQUIRED COMPONENTS CXX)
  else()
    find_package(MPI QUIET COMPONENTS CXX)
  endif()
  if(MPI_CXX_FOUND)
    set(LWSIM_HAVE_MPI ON)
  endif()
endif()
message(STATUS "lwsim: MPI support ${LWSIM_HAVE_MPI}")
