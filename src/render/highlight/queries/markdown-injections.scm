; Markdown's injections, written for shipshape: the inline grammar gets every inline
; node of the block, with its children (without them it sees nothing), as one document
; (one parse for the block, not one a paragraph); fenced code gets its language.

(fenced_code_block
  (info_string (language) @injection.language)
  (code_fence_content) @injection.content)

((html_block) @injection.content
  (#set! injection.language "html"))

((minus_metadata) @injection.content
  (#set! injection.language "yaml"))

((plus_metadata) @injection.content
  (#set! injection.language "toml"))

((inline) @injection.content
  (#set! injection.language "markdown_inline")
  (#set! injection.include-children)
  (#set! injection.combined))
