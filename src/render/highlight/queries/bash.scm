; shipshape's additions to the Bash grammar's query.

; Variables, where they are set and where they are read: `NAME=`, `$NAME`, `${NAME}`.
(variable_name) @variable.special
(special_variable_name) @variable.special
(simple_expansion "$" @variable.special)
(expansion ["${" "}"] @variable.special)

; The shell's own commands.
(command_name
  (word) @function.builtin
  (#match? @function.builtin "^(alias|break|cd|continue|echo|eval|exec|exit|export|getopts|hash|local|printf|pwd|read|readonly|return|set|shift|source|test|trap|type|ulimit|umask|unalias|unset|wait)$"))

; Numbers, in arithmetic and as plain arguments.
(number) @number
(command
  argument: (word) @number
  (#match? @number "^[0-9]+$"))
