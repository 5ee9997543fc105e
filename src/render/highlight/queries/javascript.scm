; shipshape's additions to the JavaScript (and TypeScript) queries: TypeScript's rule
; that a capitalised identifier is a type comes after the function patterns and would
; win, so declarations and calls of functions are matched again here.

(function_declaration
  name: (identifier) @function)
(function_expression
  name: (identifier) @function)
(generator_function_declaration
  name: (identifier) @function)
(call_expression
  function: (identifier) @function)
(method_definition
  name: (property_identifier) @function.method)
(call_expression
  function: (member_expression
    property: (property_identifier) @function.method))
