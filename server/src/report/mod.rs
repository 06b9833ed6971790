//! Report formats for `codeward scan`: text, JSON and SARIF 2.1.0.
