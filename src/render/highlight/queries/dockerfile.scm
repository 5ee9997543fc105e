; shipshape's additions to the Containerfile grammar's query.

(image_name) @type
(image_alias) @label
(env_pair value: (_) @string)
(arg_pair default: (_) @string)
