; TOML, written for shipshape: keys are properties, table headers headings.

(comment) @comment
(string) @string
(escape_sequence) @string.escape
[(integer) (float)] @number
(boolean) @constant.builtin
[(offset_date_time) (local_date_time) (local_date) (local_time)] @number

(pair (bare_key) @property)
(pair (quoted_key) @property)
(pair (dotted_key (bare_key) @property))
(pair (dotted_key (quoted_key) @property))

(table [(bare_key) (quoted_key) (dotted_key)] @type)
(table_array_element [(bare_key) (quoted_key) (dotted_key)] @type)
(table ["[" "]"] @punctuation.special)
(table_array_element ["[[" "]]"] @punctuation.special)

"=" @operator
