; shipshape's additions to the CSS grammar's query.

; A colour is one value, its `#` included.
(color_value) @number
(color_value "#" @number)
