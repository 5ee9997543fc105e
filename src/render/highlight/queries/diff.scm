; Unified diffs, written for shipshape: added and removed lines, hunk and file headers.

(addition) @diff.plus
(deletion) @diff.minus
(new_file) @diff.plus
(old_file) @diff.minus
(location) @label
(command) @keyword
(index) @comment
(comment) @comment
