; shipshape's additions to the Rust grammar's query (these come last, so they win).

; Number literals are numbers, not builtin constants.
(integer_literal) @number
(float_literal) @number

; A lifetime or loop label is one label, its quote included.
(lifetime) @label
(lifetime "'" @label)
(label) @label
(label "'" @label)
