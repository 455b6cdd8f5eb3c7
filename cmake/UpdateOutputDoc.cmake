# Replaces the generated part of docs/output.md (between its BEGIN GENERATED and END GENERATED
# lines) with what `lwsim schema --markdown` prints, leaving the hand-written text around it.
#   cmake -DLWSIM=<lwsim> -DDOC=<docs/output.md> -P UpdateOutputDoc.cmake
execute_process(COMMAND ${LWSIM} schema --markdown OUTPUT_VARIABLE tables RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "lwsim schema --markdown failed (${status})")
endif()
file(READ ${DOC} doc)
string(FIND "${doc}" "<!-- BEGIN GENERATED" begin)
string(FIND "${doc}" "<!-- END GENERATED" end)
if(begin EQUAL -1 OR end EQUAL -1 OR end LESS begin)
  message(FATAL_ERROR "${DOC} has no <!-- BEGIN GENERATED ... --> ... <!-- END GENERATED --> markers")
endif()
# Keep the BEGIN line itself: the text up to the end of that line.
string(SUBSTRING "${doc}" ${begin} -1 from_begin)
string(FIND "${from_begin}" "\n" begin_line_length)
math(EXPR head_length "${begin} + ${begin_line_length} + 1")
string(SUBSTRING "${doc}" 0 ${head_length} head)
string(SUBSTRING "${doc}" ${end} -1 tail)
file(WRITE ${DOC} "${head}${tables}${tail}")
