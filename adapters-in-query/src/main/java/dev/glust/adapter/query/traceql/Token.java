package dev.glust.adapter.query.traceql;

/** One lexical unit of a TraceQL query; {@code position} is its 1-based column. */
record Token(Kind kind, String text, int position) {
  enum Kind {
    OPEN_BRACE,
    CLOSE_BRACE,
    OPEN_PAREN,
    CLOSE_PAREN,
    AND,
    OR,
    PIPE,
    /** a comparison or structural operator: {@code = != > >= < <= =~ !~ >> …} */
    OPERATOR,
    /** {@code !}, {@code ~}, {@code ,} and other punctuation TraceQL has but this subset refuses */
    PUNCTUATION,
    STRING,
    NUMBER,
    DURATION,
    /** a word: an intrinsic, keyword, function or scope-prefixed name such as {@code span:name} */
    WORD,
    /** {@code span.x}, {@code resource.x}, {@code .x}: text is the scope prefix and key */
    ATTRIBUTE,
    END
  }

  boolean is(Kind k, String t) {
    return kind == k && text.equals(t);
  }
}
