; shipshape's addition to the JSON grammar's query: the crate matches keys before
; strings, and the later pattern wins, so keys are matched again here.

(pair
  key: (_) @string.special.key)
