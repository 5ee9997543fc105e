; HCL and Terraform, written for shipshape (the grammar crate ships no query).

(comment) @comment

; name = value, and keys of object literals.
(attribute (identifier) @property)
(object_elem key: (expression (variable_expr (identifier) @property)))

(function_call (identifier) @function)

; var.x, local.y, each.value and the like.
(variable_expr (identifier) @variable.builtin
  (#match? @variable.builtin "^(var|local|module|data|each|count|path|terraform|self)$"))
(get_attr (identifier) @property)

[(string_lit) (quoted_template) (heredoc_template)] @string
; resource "aws_instance" "web" { ... }: the block type, then its labels (after the
; string pattern, so that they win over it).
(block (identifier) @keyword)
(block (string_lit) @type)

[(heredoc_start) (heredoc_identifier)] @label
(template_interpolation) @embedded
[(template_interpolation_start) (template_interpolation_end)
 (template_directive_start) (template_directive_end)] @punctuation.special

(numeric_lit) @number
[(bool_lit) (null_lit)] @constant.builtin

["for" "in" "if" "else" "endif" "endfor"] @keyword
["!" "!=" "%" "&&" "*" "+" "-" "/" "<" "<=" "==" ">" ">=" "?" ":" "=>" "||" "="] @operator
(ellipsis) @operator
