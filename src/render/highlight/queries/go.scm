; shipshape's additions to the Go grammar's query. Its catch-all identifier patterns
; come after the specific ones, and the later pattern wins, so the specific ones are
; repeated here.

(call_expression
  function: (identifier) @function)
(call_expression
  function: (identifier) @function.builtin
  (#match? @function.builtin "^(append|cap|clear|close|complex|copy|delete|imag|len|make|max|min|new|panic|print|println|real|recover)$"))
(call_expression
  function: (selector_expression
    field: (field_identifier) @function.method))
(function_declaration
  name: (identifier) @function)
(method_declaration
  name: (field_identifier) @function.method)
(package_identifier) @namespace
