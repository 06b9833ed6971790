//! TypeScript and TSX files are scanned by the JavaScript detectors: the same flows, written with
//! type annotations, casts and TypeScript-only declarations, give the same findings.

use crate::config::ScanSettings;
use crate::detectors::registry;
use crate::engine::{scan_with, Source};
use crate::lang::Language;

/// `(line, rule slug)` of every finding in `source`, one-based lines.
fn findings(language: Language, source: &str) -> Vec<(usize, String)> {
    let output = scan_with(
        registry(),
        Source {
            text: source,
            language,
            path: None,
            tree: None,
        },
        &ScanSettings::default(),
    );
    let mut found: Vec<(usize, String)> = output
        .findings
        .iter()
        .map(|f| {
            let line = source[..f.range.start].matches('\n').count() + 1;
            (line, f.rule.slug().to_string())
        })
        .collect();
    found.sort();
    found
}

const TYPESCRIPT: &str = r#"import express, { Request, Response } from 'express';
import { exec } from 'child_process';
import * as fs from 'fs';
interface Query { name: string }
type Id = number;
const app = express();
app.get('/a', (req: Request, res: Response): void => {
  const name = req.query.name as string;
  exec(`ls ${name}`);
  fs.readFileSync(`/data/${req.params.id!}`);
  res.redirect(<string>req.query.next);
});
async function handler(req: Request, res: Response, limit: number = 10): Promise<void> {
  const pool = getPool();
  await pool.query(`SELECT * FROM t WHERE id = ${req.body.id} LIMIT ${limit}`);
  const id: Id = Number(req.query.id);
  await pool.query('SELECT * FROM t WHERE id = ' + id);
  exec('ls');
}
const token: string = Math.random().toString(36);
abstract class Service {
  private secret = Math.random();
  abstract run(input: string): void;
}
"#;

#[test]
fn typescript_files_get_the_javascript_findings() {
    let found = findings(Language::TypeScript, TYPESCRIPT);
    let expected: Vec<(usize, String)> = vec![
        (9, "os-command-injection".into()),
        (10, "path-traversal".into()),
        (11, "open-redirect".into()),
        (15, "sql-injection".into()),
        (20, "pseudorandom-number-generator".into()),
        (22, "pseudorandom-number-generator".into()),
    ];
    assert_eq!(found, expected);
}

#[test]
fn tsx_files_get_the_javascript_findings() {
    let source = "import React from 'react';\n\
                  export function Banner({ fallback }: { fallback: string }) {\n\
                  \x20 const message = window.name || fallback;\n\
                  \x20 return <div dangerouslySetInnerHTML={{ __html: message }} />;\n\
                  }\n\
                  export const Safe = (props: { text: string }) => <p>{props.text}</p>;\n";
    let found = findings(Language::Tsx, source);
    assert_eq!(found, vec![(4, "cross-site-scripting".to_string())]);
}
