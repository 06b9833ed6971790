//! Secrets in text documents: a `.env` file open in the editor gets diagnostics like code, with
//! the secret masked, and an edit that removes the secret clears them.

use serde_json::json;

use crate::support::{codes, position, start, Doc, Enc};

/// A synthetic token in GitHub's format (not a real credential).
const TOKEN: &str = "ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka";

fn env_text() -> String {
    format!(
        "# service configuration\nDEBUG=false\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nGITHUB_TOKEN={TOKEN}\n"
    )
}

#[test]
fn dotenv_document_gets_a_masked_secret_diagnostic() {
    let (mut client, _) = start(&["utf-16"], json!({ "debounceMs": 0 }));
    let text = env_text();
    let mut doc = Doc::open(
        &mut client,
        "file:///tmp/app/.env",
        "dotenv",
        &text,
        Enc::Utf16,
    );
    let diagnostics = client.diagnostics(&doc.uri, 1);
    assert_eq!(
        codes(&diagnostics),
        vec!["secrets/github-token@v1.0".to_string()],
        "the documentation example key is not a finding: {diagnostics:#?}"
    );
    let diagnostic = &diagnostics[0];
    let at = text.find(TOKEN).unwrap_or(0);
    let (line, character) = position(&text, at, Enc::Utf16);
    assert_eq!(diagnostic["range"]["start"]["line"], line);
    assert_eq!(diagnostic["range"]["start"]["character"], character);
    let message = diagnostic["message"].as_str().unwrap_or("");
    assert!(message.contains("GitHub token"), "{message}");
    assert!(message.contains("ghp_****"), "{message}");
    assert!(!message.contains(TOKEN), "the secret leaked: {message}");
    assert!(!diagnostic.to_string().contains(TOKEN), "{diagnostic}");

    // Replacing the token with a reference clears the diagnostic.
    let start_of_token = text.find(TOKEN).unwrap_or(0);
    doc.replace(
        &mut client,
        start_of_token..start_of_token + TOKEN.len(),
        "${GITHUB_TOKEN}",
    );
    let after = client.diagnostics(&doc.uri, doc.version);
    assert!(after.is_empty(), "{after:#?}");
    assert!(client.shutdown().success());
}

/// The "Suppress" action inserts a comment line: offered in formats with `#` comments, never in
/// JSON, where the line would corrupt the file.
#[test]
fn suppress_is_offered_only_where_the_text_format_has_comments() {
    let (mut client, _) = start(&["utf-16"], json!({ "debounceMs": 0 }));
    let cases = [
        (
            "file:///tmp/app/.env",
            "dotenv",
            format!("GITHUB_TOKEN={TOKEN}\n"),
            true,
        ),
        (
            "file:///tmp/app/config.json",
            "json",
            format!("{{\n  \"github_token\": \"{TOKEN}\"\n}}\n"),
            false,
        ),
    ];
    for (uri, language, text, offered) in cases {
        let _doc = Doc::open(&mut client, uri, language, &text, Enc::Utf16);
        let diagnostics = client.diagnostics(uri, 1);
        let diagnostic = diagnostics
            .iter()
            .find(|d| d["code"] == "secrets/github-token@v1.0")
            .unwrap_or_else(|| panic!("{uri}: no GitHub token finding in {diagnostics:#?}"))
            .clone();
        let actions = client.call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"],
                    "context": { "diagnostics": [diagnostic] } }),
        );
        let suppress = actions.as_array().and_then(|a| {
            a.iter()
                .find(|a| {
                    a["title"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("Suppress"))
                })
                .cloned()
        });
        assert_eq!(suppress.is_some(), offered, "{uri}: {actions:#}");
        if let Some(action) = suppress {
            let inserted = action["edit"]["changes"][uri][0]["newText"]
                .as_str()
                .unwrap_or("");
            assert!(
                inserted.starts_with("# codeward: ignore[secrets/github-token@v1.0]"),
                "{inserted}"
            );
        }
    }
    assert!(client.shutdown().success());
}
