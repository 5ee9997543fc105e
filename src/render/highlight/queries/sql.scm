; shipshape's additions to the SQL grammar's query: its number patterns use Lua's %d,
; which the Rust regex engine reads differently, so numbers are matched here.

((literal) @number
  (#match? @number "^[-+]?[0-9]+$"))
((literal) @number
  (#match? @number "^[-+]?[0-9]*\\.[0-9]+$"))
