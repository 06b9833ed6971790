//! Tests of the JavaScript analysis: imports, constants and taint flows.

use super::analyze;
use crate::analysis::{Call, Constant, Facts, SinkKind, SourceKind};
use crate::lang::{parse_str, Language};

fn facts(source: &str) -> Facts {
    let tree = parse_str(Language::JavaScript, source).expect("javascript parses");
    analyze(source, &tree)
}

fn call<'a>(facts: &'a Facts, name: &str) -> &'a Call {
    facts
        .calls
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no call {name} in {:#?}",
                facts.calls.iter().map(|c| &c.name).collect::<Vec<_>>()
            )
        })
}

fn arg_tainted(facts: &Facts, name: &str, n: usize, kind: SinkKind) -> bool {
    call(facts, name)
        .args
        .get(n)
        .is_some_and(|a| a.value.taint.tainted_for(kind).is_some())
}

#[test]
fn resolves_require_and_import_forms() {
    let f = facts(
        "const cp = require('child_process');\n\
         const { exec, execSync: run } = require('node:child_process');\n\
         import * as fs from 'node:fs';\n\
         import { createHash as h } from 'crypto';\n\
         import https from 'https';\n\
         cp.spawn('ls'); exec('a'); run('b'); fs.readFileSync('x'); h('md5');\n\
         https.get('u'); require('child_process').execFile('c');\n\
         async function f() { const m = await import('vm'); m.runInThisContext('1'); }\n",
    );
    for name in [
        "child_process.spawn",
        "child_process.exec",
        "child_process.execSync",
        "fs.readFileSync",
        "crypto.createHash",
        "https.get",
        "child_process.execFile",
        "vm.runInThisContext",
    ] {
        call(&f, name);
    }
    assert_eq!(f.imports.resolve("run"), Some("child_process.execSync"));
    assert_eq!(f.imports.qualify("cp.exec"), "child_process.exec");
}

#[test]
fn evaluates_constants() {
    let f = facts(
        "const ALG = 'md' + 5;\nconst t = `sha${1}`;\nconst opts = { rejectUnauthorized: !1, port: 443 };\n\
         opts.host = 'h';\nuse(ALG, t, opts, ['a', 'b'].join('-'), 0x10);\n",
    );
    let c = call(&f, "use");
    assert_eq!(c.args[0].value.const_str(), Some("md5"));
    assert_eq!(c.args[1].value.const_str(), Some("sha1"));
    let opts = &c.args[2].value;
    assert_eq!(
        opts.field("rejectUnauthorized")
            .and_then(|v| v.constant.clone()),
        Some(Constant::Bool(false))
    );
    assert_eq!(opts.field("host").and_then(|v| v.const_str()), Some("h"));
    assert_eq!(c.args[3].value.const_str(), Some("a-b"));
    assert_eq!(c.args[4].value.constant, Some(Constant::Int(16)));
}

#[test]
fn request_data_flows_through_strings_and_destructuring() {
    let f = facts(
        "const cp = require('child_process');\n\
         app.get('/x', (rq, rs) => {\n\
           const { host = 'localhost' } = rq.query;\n\
           const [first] = rq.body.items;\n\
           let cmd = `ping ${host}`;\n\
           cmd += ' -c 1';\n\
           cp.exec(cmd);\n\
           cp.execSync('ls ' + first.trim());\n\
           cp.exec('ls');\n\
         });\n",
    );
    assert!(arg_tainted(&f, "child_process.exec", 0, SinkKind::Command));
    assert!(arg_tainted(
        &f,
        "child_process.execSync",
        0,
        SinkKind::Command
    ));
    let constant = f
        .calls
        .iter()
        .filter(|c| c.name == "child_process.exec")
        .nth(1)
        .expect("second exec");
    assert!(!constant.args[0].value.taint.is_tainted());
    let origin = call(&f, "child_process.exec").args[0]
        .value
        .taint
        .origins()
        .first()
        .cloned()
        .expect("origin");
    assert_eq!(origin.kind, SourceKind::Request);
    assert_eq!(&*origin.label, "rq.query");
}

#[test]
fn overwritten_and_sanitised_values_are_clean() {
    let f = facts(
        "const escapeHtml = require('escape-html');\n\
         function handler(req, res) {\n\
           let name = req.query.name;\n\
           name = 'guest';\n\
           res.send(name);\n\
           const id = parseInt(req.params.id, 10);\n\
           res.write(id);\n\
           res.end(escapeHtml(req.body.msg));\n\
         }\n",
    );
    assert!(!arg_tainted(&f, "res.send", 0, SinkKind::Html));
    assert!(!arg_tainted(&f, "res.write", 0, SinkKind::Html));
    assert!(!arg_tainted(&f, "res.end", 0, SinkKind::Html));
    assert!(call(&f, "res.end").args[0].value.taint.is_tainted());
    assert_eq!(
        call(&f, "res.send")
            .receiver
            .as_ref()
            .and_then(|r| r.type_name.clone()),
        Some("http.Request".replace("Request", "Response"))
    );
}

#[test]
fn branches_join_and_guards_sanitise() {
    let f = facts(
        "const ALLOWED = ['a', 'b'];\n\
         function h(req) {\n\
           let x = 'safe';\n\
           if (req.query.flag) { x = req.query.v; }\n\
           sinkA(x);\n\
           const y = req.query.y;\n\
           if (!ALLOWED.includes(y)) { return; }\n\
           sinkB(y);\n\
           const z = req.query.z;\n\
           if (z === 'ok') { sinkC(z); }\n\
           sinkD(z);\n\
         }\n",
    );
    assert!(arg_tainted(&f, "sinkA", 0, SinkKind::Command));
    assert!(!arg_tainted(&f, "sinkB", 0, SinkKind::Command));
    assert!(!arg_tainted(&f, "sinkC", 0, SinkKind::Command));
    assert!(arg_tainted(&f, "sinkD", 0, SinkKind::Command));
}

#[test]
fn loops_carry_taint_around() {
    let f = facts(
        "let acc = '';\nfor (const a of process.argv) { sink(acc); acc += a; }\n\
         for (let i = 0; i < 3; i++) { other(i); }\n",
    );
    let origin = call(&f, "sink").args[0]
        .value
        .taint
        .origins()
        .first()
        .cloned();
    assert_eq!(origin.map(|o| o.kind), Some(SourceKind::CommandLine));
    assert!(!arg_tainted(&f, "other", 0, SinkKind::Command));
}

#[test]
fn local_functions_use_summaries_and_reanalysis() {
    let f = facts(
        "function wrap(s) { return '<b>' + s + '</b>'; }\n\
         function clean(s) { return encodeURIComponent(s); }\n\
         function argv() { return process.argv[2]; }\n\
         const run = (c) => { require('child_process').exec(c); };\n\
         function h(req, res) {\n\
           res.send(wrap(req.query.a));\n\
           res.write(clean(req.query.b));\n\
           eval(argv());\n\
           run(req.query.c);\n\
           res.end(wrap('x'));\n\
         }\n",
    );
    assert!(arg_tainted(&f, "res.send", 0, SinkKind::Html));
    assert!(!arg_tainted(&f, "res.write", 0, SinkKind::Html));
    assert!(arg_tainted(&f, "eval", 0, SinkKind::Code));
    assert!(arg_tainted(&f, "child_process.exec", 0, SinkKind::Command));
    assert!(!arg_tainted(&f, "res.end", 0, SinkKind::Html));
}

#[test]
fn browser_sources_promises_and_jsx() {
    let f = facts(
        "window.addEventListener('message', (e) => { el.innerHTML = e.data; });\n\
         const h = location.hash.slice(1);\n\
         document.getElementById('x').innerHTML = h;\n\
         out.textContent = location.hostname;\n\
         fetch(u).then(r => r.text()).then(t => use(t));\n\
         const App = () => <div dangerouslySetInnerHTML={{ __html: document.cookie }} />;\n",
    );
    assert_eq!(f.stores.len(), 4);
    assert!(f.stores[0].value.taint.is_tainted());
    assert_eq!(f.stores[1].target, "document.getElementById('x').innerHTML");
    assert!(f.stores[1].value.taint.is_tainted());
    assert!(!f.stores[2].value.taint.is_tainted());
    assert_eq!(f.stores[3].target, "dangerouslySetInnerHTML");
    assert!(f.stores[3]
        .value
        .field("__html")
        .is_some_and(|v| v.taint.is_tainted()));
}

#[test]
fn koa_and_env_stores() {
    let f = facts(
        "router.post('/run', async (ctx) => { vm.runInNewContext(ctx.request.body.code); ctx.body = 'ok'; });\n\
         process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n\
         process.env['X'] = 1;\n",
    );
    assert!(arg_tainted(&f, "vm.runInNewContext", 0, SinkKind::Code));
    assert_eq!(
        f.stores[1].target,
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED"
    );
    assert_eq!(f.stores[1].value.const_str(), Some("0"));
    assert_eq!(f.stores[2].target, "process.env[X]");
}

#[test]
fn survives_broken_and_deep_code() {
    let deep = format!("x = {}1{};\n", "(".repeat(3000), ")".repeat(3000));
    facts(&deep);
    let nested = format!("{}f(){}", "{".repeat(2000), "}".repeat(2000));
    facts(&nested);
    let f = facts("const cp = require('child_process');\nfunction (req { cp.exec(req.query.x\n");
    assert!(f.calls.iter().any(|c| c.name == "require"));
}

#[test]
fn lookups_keyed_by_request_data_are_not_request_data() {
    let f = facts(
        "app.get('/u/:id', async (req, res) => {\n\
           const user = await User.findById(req.params.id);\n\
           res.send(user.bio);\n\
           const page = await fetch('https://api/' + req.query.p);\n\
           res.write(page);\n\
           res.end(req.params.id.toUpperCase());\n\
         });\n",
    );
    assert!(!arg_tainted(&f, "res.send", 0, SinkKind::Html));
    assert!(!arg_tainted(&f, "res.write", 0, SinkKind::Html));
    assert!(arg_tainted(&f, "res.end", 0, SinkKind::Html));
}

#[test]
fn strings_built_from_request_data_are_not_query_objects() {
    let f = facts(
        "app.post('/x', (req, res) => {\n\
           const { name } = req.body;\n\
           find1({ name });\n\
           find2(`${name}`);\n\
           find3('' + name);\n\
           find4(name.trim());\n\
           find5(String(name));\n\
           find6(JSON.stringify(name));\n\
         });\n",
    );
    assert!(arg_tainted(&f, "find1", 0, SinkKind::NoSql));
    for name in ["find2", "find3", "find4", "find5", "find6"] {
        assert!(!arg_tainted(&f, name, 0, SinkKind::NoSql), "{name}");
    }
    // Still strings of request data everywhere else.
    assert!(arg_tainted(&f, "find2", 0, SinkKind::Sql));
    assert!(arg_tainted(&f, "find4", 0, SinkKind::Html));
}

#[test]
fn driver_escaping_and_line_break_removal_sanitise_per_sink() {
    let f = facts(
        "const mysql = require('mysql');\n\
         app.get('/x', (req, res) => {\n\
           q1('a' + connection.escape(req.query.a));\n\
           q2('a' + mysql.escape(req.query.a));\n\
           log1(req.query.a.replace(/[\\r\\n]/g, ''));\n\
           log2(req.query.a.replace(/x/g, ''));\n\
         });\n",
    );
    assert!(!arg_tainted(&f, "q1", 0, SinkKind::Sql));
    assert!(arg_tainted(&f, "q1", 0, SinkKind::Html));
    assert!(!arg_tainted(&f, "q2", 0, SinkKind::Sql));
    assert!(!arg_tainted(&f, "log1", 0, SinkKind::Log));
    assert!(arg_tainted(&f, "log1", 0, SinkKind::Sql));
    assert!(arg_tainted(&f, "log2", 0, SinkKind::Log));
}

#[test]
fn octal_and_binary_literals_are_constants() {
    let f = facts("use(0o755, 0O644, 0777, 0b101, 0, 08);\n");
    let c = call(&f, "use");
    let ints: Vec<_> = c.args.iter().map(|a| a.value.constant.clone()).collect();
    assert_eq!(
        ints,
        vec![
            Some(Constant::Int(0o755)),
            Some(Constant::Int(0o644)),
            Some(Constant::Int(0o777)),
            Some(Constant::Int(5)),
            Some(Constant::Int(0)),
            Some(Constant::Int(8)),
        ]
    );
}

#[test]
fn confinement_checks_and_alternative_allow_lists_sanitise() {
    let f = facts(
        "app.get('/x', (req, res) => {\n\
           const full = path.resolve(ROOT, req.query.f);\n\
           if (full.startsWith(ROOT)) { read1(full); }\n\
           read2(full);\n\
           const g = req.query.g;\n\
           if (g === 'a' || g === 'b') { use1(g); }\n\
           if (g === 'a' || other === 'b') { use2(g); }\n\
           if (g !== 'a' && g !== 'b') { return; }\n\
           use3(g);\n\
         });\n",
    );
    assert!(!arg_tainted(&f, "read1", 0, SinkKind::Path));
    assert!(arg_tainted(&f, "read2", 0, SinkKind::Path));
    assert!(!arg_tainted(&f, "use1", 0, SinkKind::Sql));
    assert!(arg_tainted(&f, "use2", 0, SinkKind::Sql));
    assert!(!arg_tainted(&f, "use3", 0, SinkKind::Sql));
}

#[test]
fn module_results_keep_their_origin_as_type() {
    let f = facts(
        "const libxmljs = require('libxmljs');\n\
         const doc = libxmljs.parseXml(s);\n\
         doc.get('//a');\n\
         doc.root().find('//b');\n\
         const cache = new Map();\n\
         cache.get('k');\n",
    );
    let typed = |name: &str| {
        call(&f, name)
            .receiver
            .as_ref()
            .and_then(|r| r.type_name.clone())
    };
    assert_eq!(
        typed("doc.get").as_deref(),
        Some("returned:libxmljs.parseXml")
    );
    assert_eq!(
        typed("doc.root().find").as_deref(),
        Some("returned:libxmljs.parseXml")
    );
    assert_eq!(typed("cache.get").as_deref(), Some("Map"));
}

#[test]
fn typescript_annotations_casts_and_declarations_are_transparent() {
    let source = "import { exec } from 'child_process';\n\
                  enum Mode { A, B }\n\
                  interface Opts { cmd: string }\n\
                  function run(req: Request, res: Response, n?: number): void {\n\
                  \x20 const cmd = (req.body as Opts).cmd;\n\
                  \x20 const again = <string>req.query.x;\n\
                  \x20 exec(cmd!);\n\
                  \x20 exec(again satisfies string);\n\
                  \x20 use(n);\n\
                  }\n";
    for language in [Language::TypeScript, Language::Tsx] {
        // `<string>x` is not TSX syntax (it would open an element): TSX writes `x as string`.
        let source = if language == Language::Tsx {
            source.replace("<string>req.query.x", "req.query.x as string")
        } else {
            source.to_string()
        };
        let source = source.as_str();
        let tree = parse_str(language, source).expect("typescript parses");
        let f = super::analyze_as(language, source, &tree);
        let execs: Vec<_> = f
            .calls
            .iter()
            .filter(|c| c.name == "child_process.exec")
            .collect();
        assert_eq!(execs.len(), 2, "{language:?}");
        assert!(execs[0].args[0]
            .value
            .taint
            .tainted_for(SinkKind::Command)
            .is_some());
        assert!(execs[1].args[0]
            .value
            .taint
            .tainted_for(SinkKind::Command)
            .is_some());
        assert!(!arg_tainted(&f, "use", 0, SinkKind::Command));
    }
    // JavaScript analyses after TypeScript ones still use the JavaScript tables.
    let js = facts("const cp = require('child_process');\ncp.exec(process.argv[2]);\n");
    assert!(arg_tainted(&js, "child_process.exec", 0, SinkKind::Command));
}

#[test]
fn request_named_parameters_are_requests_only_in_handler_shaped_functions() {
    let f = facts(
        "function send(request) { s1(request.url); }\n\
         function handle(req, res) { s2(req.url); }\n\
         function proxy(req) { s3(req.query.target); }\n\
         export function GET(request) { s4(request.url); }\n\
         function retry(req, n) { s5(req.headers.host); }\n",
    );
    assert!(!arg_tainted(&f, "s1", 0, SinkKind::Url));
    assert!(arg_tainted(&f, "s2", 0, SinkKind::Url));
    assert!(arg_tainted(&f, "s3", 0, SinkKind::Url));
    assert!(arg_tainted(&f, "s4", 0, SinkKind::Url));
    assert!(!arg_tainted(&f, "s5", 0, SinkKind::Url));
}

#[test]
fn regex_escaping_and_formula_neutralising_sanitise_per_sink() {
    let f = facts(
        "app.get('/x', (req, res) => {\n\
           r1(req.query.a.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'));\n\
           r2(req.query.a.replace(/x/g, '\\\\$&'));\n\
           f1(req.query.a.replace(/^[=+\\-@]/, \"'$&\"));\n\
           f2(JSON.stringify(req.query.a));\n\
         });\n",
    );
    assert!(!arg_tainted(&f, "r1", 0, SinkKind::Regex));
    assert!(arg_tainted(&f, "r1", 0, SinkKind::Html));
    assert!(arg_tainted(&f, "r2", 0, SinkKind::Regex));
    assert!(!arg_tainted(&f, "f1", 0, SinkKind::FileContent));
    assert!(!arg_tainted(&f, "f2", 0, SinkKind::FileContent));
    assert!(arg_tainted(&f, "f2", 0, SinkKind::Regex));
}

#[test]
fn lookups_by_untrusted_keys_return_stored_data() {
    let f = facts(
        "const cache = new Map();\n\
         app.get('/x', (req, res) => {\n\
           k1(cache.get(req.query.k));\n\
           k2(new URL(req.url, 'http://h').searchParams.get('q'));\n\
         });\n",
    );
    assert!(!arg_tainted(&f, "k1", 0, SinkKind::Html));
    assert!(arg_tainted(&f, "k2", 0, SinkKind::Html));
}
