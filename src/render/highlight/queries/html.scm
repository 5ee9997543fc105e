; shipshape's addition to the HTML grammar's query: an attribute value is one string,
; its quotes included.

(quoted_attribute_value) @string
