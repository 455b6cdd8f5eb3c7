# lwsim_embed_text(<output.cpp> <symbol> <file>): writes a C++ source that defines
#   extern const std::string_view <symbol>;
# holding the text of <file>, so built-in scenarios travel inside the binary.
function(lwsim_embed_text output symbol input)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake
    COMMENT "Embedding ${input}" VERBATIM)
endfunction()
