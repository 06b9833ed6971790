//! Unit tests of the Python analysis: imports, constants and taint flows.

use super::analyze;
use crate::analysis::{Call, Constant, Facts, SinkKind, SourceKind};
use crate::lang::{parse_str, Language};

fn facts(source: &str) -> Facts {
    let tree = parse_str(Language::Python, source).expect("python parses");
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

fn calls<'a>(facts: &'a Facts, name: &'a str) -> Vec<&'a Call> {
    facts.calls_named(name).collect()
}

fn first_arg_tainted(call: &Call, kind: SinkKind) -> bool {
    call.positional(0)
        .is_some_and(|a| a.value.taint.tainted_for(kind).is_some())
}

#[test]
fn resolves_aliases_and_expands_kwargs() {
    let f = facts(
        "import subprocess as sp\nfrom os import system\nsp.call('ls', shell=True)\nsystem('x')\n\
         sp.run(*cmd, **{'shell': True, 'cwd': '/'})\n",
    );
    assert_eq!(
        call(&f, "subprocess.call")
            .keyword("shell")
            .and_then(|a| a.value.constant.clone()),
        Some(Constant::Bool(true))
    );
    assert_eq!(
        call(&f, "os.system")
            .positional(0)
            .and_then(|a| a.value.const_str()),
        Some("x")
    );
    let run = call(&f, "subprocess.run");
    assert!(run.args.first().is_some_and(|a| a.unpacked));
    assert_eq!(
        run.keyword("shell").and_then(|a| a.value.constant.clone()),
        Some(Constant::Bool(true))
    );
    assert_eq!(
        run.keyword("cwd").and_then(|a| a.value.const_str()),
        Some("/")
    );
}

#[test]
fn evaluates_constant_strings() {
    let f = facts(
        "BASE = 'ls'\nflag = '-l'\ncmd = BASE + ' ' + flag\nsink(cmd)\nsink(f'{BASE} {flag}!')\n\
         sink('%s -%s' % (BASE, 'a'))\nsink('{} {x}'.format(BASE, x=1))\nsink('a' 'b' r'\\n')\n\
         sink(' '.join(['a', 'b']))\nsink(['a', 1, True, None])\n\
         def f():\n    sink(BASE + '!')\n",
    );
    let values: Vec<Option<Constant>> = calls(&f, "sink")
        .iter()
        .map(|c| c.positional(0).and_then(|a| a.value.constant.clone()))
        .collect();
    let s = |x: &str| Some(Constant::Str(x.into()));
    assert_eq!(
        values,
        vec![
            s("ls -l"),
            s("ls -l!"),
            s("ls -a"),
            s("ls 1"),
            s("ab\\n"),
            s("a b"),
            Some(Constant::List(vec![
                Constant::Str("a".into()),
                Constant::Int(1),
                Constant::Bool(true),
                Constant::Null
            ])),
            s("ls!"),
        ]
    );
}

#[test]
fn flask_request_data_flows_through_string_building() {
    let f = facts(
        "from flask import request\nimport os\n\ndef view():\n    name = request.args.get('n')\n\
         \x20   cmd = 'ls ' + name\n    os.system(cmd)\n    os.system(f'echo {request.form[\"x\"]}')\n\
         \x20   os.system('echo %s' % request.get_json()['a'])\n    os.system('ls')\n",
    );
    let systems = calls(&f, "os.system");
    assert_eq!(systems.len(), 4);
    let tainted: Vec<bool> = systems
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![true, true, true, false]);
    let origin = systems[0]
        .positional(0)
        .and_then(|a| a.value.taint.origins().first().cloned());
    assert_eq!(
        origin.map(|o| (o.kind, o.label)),
        Some((SourceKind::Request, "request.args".into()))
    );
}

#[test]
fn overwriting_with_a_constant_and_sanitisers_clean() {
    let f = facts(
        "import os, shlex, sys\nx = sys.argv[1]\nx = 'safe'\nos.system(x)\ny = shlex.quote(sys.argv[2])\n\
         os.system('ls ' + y)\ncur.execute('select ' + y)\nz = int(input())\nos.system('kill %d' % z)\n",
    );
    let systems = calls(&f, "os.system");
    assert!(!first_arg_tainted(systems[0], SinkKind::Command));
    assert!(
        !first_arg_tainted(systems[1], SinkKind::Command),
        "quoted for the shell"
    );
    assert!(
        first_arg_tainted(call(&f, "cur.execute"), SinkKind::Sql),
        "but not for SQL"
    );
    assert!(!first_arg_tainted(systems[2], SinkKind::Command));
}

#[test]
fn branches_merge_and_loops_iterate() {
    let f = facts(
        "import os, sys\nif cond:\n    c = sys.argv[1]\nelse:\n    c = 'ls'\nos.system(c)\n\
         acc = ''\nfor part in parts:\n    os.system(acc)\n    acc = acc + sys.argv[1]\n",
    );
    let systems = calls(&f, "os.system");
    assert!(first_arg_tainted(systems[0], SinkKind::Command));
    assert!(
        first_arg_tainted(systems[1], SinkKind::Command),
        "second iteration sees the taint"
    );
}

#[test]
fn allow_list_guards_clean() {
    let f = facts(
        "from flask import request, abort\nimport os\nALLOWED = {'a', 'b'}\ndef v():\n\
         \x20   t = request.args['t']\n    if t in ALLOWED:\n        os.system('run ' + t)\n    os.system('x ' + t)\n\
         \x20   if t not in ALLOWED:\n        abort(400)\n    os.system('y ' + t)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![false, true, false]);
}

#[test]
fn summaries_carry_taint_through_helpers_and_methods() {
    let f = facts(
        "import os, sys\nclass Runner:\n    def build(self, arg):\n        return 'ls ' + arg\n\
         \x20   def go(self):\n        os.system(self.build(sys.argv[1]))\n        os.system(self.build('x'))\n\
         def run():\n    os.system(later(sys.argv[1]))\n    os.system(user())\n    os.system(quoted(sys.argv[1]))\n\
         def later(a):\n    return a\ndef user():\n    return input()\n\
         def quoted(a):\n    import shlex\n    return shlex.quote(a)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![true, false, true, true, false]);
}

#[test]
fn framework_parameters_are_sources() {
    let f = facts(
        "from fastapi import FastAPI, Depends, Request\nimport os\napp = FastAPI()\n\
         @app.get('/x')\nasync def h(q: str, db=Depends(get_db), request: Request = None):\n\
         \x20   os.system(q)\n    os.system(db)\n    body = await request.json()\n    os.system(body['c'])\n\
         def django_view(request):\n    os.system(request.GET['c'])\n    os.system(request.user.name)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![true, false, true, true, false]);
}

#[test]
fn request_parameters_outside_web_code_are_not_web_requests() {
    // Without a web framework import, `request` is an outgoing request or a message.
    let f = facts(
        "import os\nimport requests\nclass Adapter:\n    def send(self, request):\n\
         \x20       os.system(request.url)\n",
    );
    assert!(!first_arg_tainted(call(&f, "os.system"), SinkKind::Command));
}

#[test]
fn numeric_route_parameters_are_parsed_not_text() {
    let f = facts(
        "from fastapi import FastAPI\nfrom typing import Optional\nimport os\napp = FastAPI()\n\
         @app.get('/x/{i}')\ndef h(i: int, j: Optional[int], k: int | None, s: str):\n\
         \x20   os.system(i)\n    os.system(j)\n    os.system(k)\n    os.system(s)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![false, false, false, true]);
}

#[test]
fn record_lookups_do_not_carry_the_key() {
    let f = facts(
        "from flask import request\nimport os\nfrom app.models import Note, Notes\n\
         def v():\n    i = request.args['id']\n    note = Notes.get_note_by_id(i)\n\
         \x20   os.system(note.title)\n    row = Note.objects.get(pk=i)\n    os.system(row.cmd)\n\
         \x20   os.system(CONFIG.get(i, i))\n    os.system(request.args.get('c'))\n\
         \x20   os.system(helper(i))\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![false, false, true, true, true]);
}

#[test]
fn containers_unpacking_comprehensions_and_with() {
    let f = facts(
        "import os, sys\nargs = []\nargs.append(sys.argv[1])\nos.system(args[0])\n\
         a, b = 'ls', sys.argv[1]\nos.system(a)\nos.system(b)\n\
         cmds = [c + '!' for c in sys.argv]\nos.system(cmds[0])\n\
         with open(sys.argv[1]) as fh:\n    os.system(fh.read())\n\
         d = {}\nd['k'] = os.environ['X']\nos.system(d['k'])\nif (n := input()):\n    os.system(n)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![true, false, true, true, true, true, true]);
}

#[test]
fn stores_and_types() {
    let f = facts(
        "import requests, ssl\ns = requests.Session()\ns.verify = False\nctx = ssl.create_default_context()\n\
         ctx.check_hostname = False\nr = s.get(url)\nobj.headers['X'] = v\n",
    );
    let targets: Vec<&str> = f.stores.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(
        targets,
        vec![
            "requests.Session.verify",
            "ssl.SSLContext.check_hostname",
            "obj.headers[X]"
        ]
    );
    assert_eq!(f.stores[0].value.constant, Some(Constant::Bool(false)));
    assert_eq!(
        call(&f, "requests.Session.get").kind,
        crate::analysis::CallKind::Method
    );
}

#[test]
fn survives_broken_and_deeply_nested_code() {
    let deep = format!(
        "x = {}1{}\nos.system(x)\n",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let _ = facts(&deep);
    let nested_ifs: String = (0..600)
        .map(|i| format!("{}if a:\n", "  ".repeat(i)))
        .collect::<String>()
        + &"  ".repeat(600)
        + "pass\n";
    let _ = facts(&nested_ifs);
    let f = facts("import os\ndef f(:\n    os.system(input())\nos.system(\n");
    assert!(f.calls.iter().any(|c| c.name == "os.system"));
}

#[test]
fn callers_taint_reaches_parameters() {
    let f = facts(
        "import argparse, os\ndef parse():\n    p = argparse.ArgumentParser()\n    return p.parse_args()\n\
         def run(args, mode='x'):\n    os.system('ssh ' + args.host)\n    os.system(mode)\n\
         def main():\n    args = parse()\n    run(args)\n    run(None, mode='y')\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![true, false]);
}

#[test]
fn regex_validation_guards_clean() {
    let f = facts(
        "import os, re, sys\nNAME = re.compile(r'[a-z]+')\nx = sys.argv[1]\nif re.fullmatch(r'[a-z0-9]+', x):\n    os.system('a ' + x)\n\
         if not NAME.fullmatch(x):\n    sys.exit(2)\nos.system('b ' + x)\ny = sys.argv[2]\nif y.startswith('a'):\n    os.system(y)\n",
    );
    let tainted: Vec<bool> = calls(&f, "os.system")
        .iter()
        .map(|c| first_arg_tainted(c, SinkKind::Command))
        .collect();
    assert_eq!(tainted, vec![false, false, true]);
}

#[test]
fn route_parameters_reach_the_helpers_handlers_pass_them_to() {
    let facts = facts(
        "import subprocess\nfrom flask import Flask\napp = Flask(__name__)\n\n\
         def run(cmd):\n    subprocess.call(cmd, shell=True)\n\n\
         @app.route('/x/<name>')\ndef handler(name):\n    run('echo ' + name)\n",
    );
    assert!(first_arg_tainted(
        call(&facts, "subprocess.call"),
        SinkKind::Command
    ));
}

#[test]
fn with_targets_keep_the_value_and_its_type() {
    let f = facts(
        "import httpx, socket\ndef relay(sock):\n    address = sock.recv(256)\n    \
         with httpx.Client() as client:\n        client.get(address)\n",
    );
    assert!(first_arg_tainted(
        call(&f, "httpx.Client.get"),
        SinkKind::Url
    ));
}

#[test]
fn environment_variables_are_sources() {
    let f = facts(
        "import os\nfrom os import environ, getenv\nos.system(os.environ['A'])\n\
         os.popen(os.environ.get('B', ''))\neval(getenv('C'))\nexec(environ['D'])\n",
    );
    for name in ["os.system", "os.popen", "eval", "exec"] {
        let origin = call(&f, name)
            .positional(0)
            .and_then(|a| a.value.taint.tainted_for(SinkKind::Code).cloned());
        assert_eq!(
            origin.map(|o| o.kind),
            Some(SourceKind::Environment),
            "{name}"
        );
    }
}

#[test]
fn replacing_line_breaks_sanitises_for_logs_only() {
    let f = facts(
        "import logging, sys\nx = sys.argv[1].replace('\\n', '')\nlogging.info(x)\n\
         y = sys.argv[1].replace('a', 'b')\nlogging.warning(y)\n",
    );
    let info = call(&f, "logging.info");
    assert!(!first_arg_tainted(info, SinkKind::Log));
    assert!(first_arg_tainted(info, SinkKind::Sql));
    assert!(first_arg_tainted(
        call(&f, "logging.warning"),
        SinkKind::Log
    ));
}

#[test]
fn aws_secrets_are_credential_origins_kept_only_through_string_building() {
    let f = facts(
        "import boto3\ncreds = boto3.Session().get_credentials()\n\
         line = f'secret={creds.secret_key}'.upper()\nprint(line)\n\
         client = boto3.client('s3', aws_secret_access_key=creds.secret_key)\nprint(client)\n\
         print(creds.access_key)\nrun(creds.token)\n",
    );
    let prints = calls(&f, "print");
    let kinds = |c: &Call| -> Vec<SourceKind> {
        c.positional(0)
            .map(|a| a.value.taint.origins().iter().map(|o| o.kind).collect())
            .unwrap_or_default()
    };
    assert_eq!(kinds(prints[0]), vec![SourceKind::Credential]);
    assert!(
        kinds(prints[1]).is_empty(),
        "a client made with a key does not show it"
    );
    assert!(
        kinds(prints[2]).is_empty(),
        "the access key id is not a secret"
    );
    // Credential origins are never dangerous for an injection sink.
    assert!(!first_arg_tainted(call(&f, "run"), SinkKind::Command));
    assert!(call(&f, "run")
        .positional(0)
        .is_some_and(|a| a.value.taint.is_tainted()));
}

#[test]
fn re_escape_sanitises_for_regex_only() {
    let f = facts(
        "import re\nfrom flask import request\nq = re.escape(request.args['q'])\nre.search(q, 'x')\n\
         os_system(q)\n",
    );
    assert!(!first_arg_tainted(call(&f, "re.search"), SinkKind::Regex));
    assert!(first_arg_tainted(call(&f, "os_system"), SinkKind::Command));
}
