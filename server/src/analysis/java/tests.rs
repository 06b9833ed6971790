//! Tests of the Java analysis: names, constants and taint flows, with negative cases.

use super::analyze;
use crate::analysis::{Call, Constant, Facts, SinkKind};
use crate::lang::{parse_str, Language};

fn facts(source: &str) -> Facts {
    let tree = parse_str(Language::Java, source).expect("java parses");
    analyze(source, &tree)
}

/// The calls named `name` (after resolution).
fn calls<'a>(facts: &'a Facts, name: &str) -> Vec<&'a Call> {
    facts.calls.iter().filter(|c| c.name == name).collect()
}

fn servlet(body: &str) -> String {
    format!(
        "import javax.servlet.http.*;\nimport java.sql.*;\nclass S extends HttpServlet {{\n  Connection conn;\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {{\n{body}\n  }}\n}}\n"
    )
}

/// Whether argument `n` of the only call named `name` is tainted for `kind`.
fn tainted(facts: &Facts, name: &str, n: usize, kind: SinkKind) -> Vec<bool> {
    calls(facts, name)
        .iter()
        .map(|c| {
            c.positional(n)
                .is_some_and(|a| a.value.taint.tainted_for(kind).is_some())
        })
        .collect()
}

#[test]
fn resolves_static_calls_constructors_and_declared_types() {
    let f = facts(
        "import java.security.MessageDigest;\nimport java.util.*;\nclass A {\n  void m(Connection c) throws Exception {\n    MessageDigest.getInstance(\"MD5\");\n    java.security.MessageDigest.getInstance(\"SHA1\");\n    new Random();\n    var r = Runtime.getRuntime();\n    r.exec(\"ls\");\n    Runtime.getRuntime().exec(\"id\");\n    Math.random();\n    unknown.thing();\n  }\n}\n",
    );
    assert_eq!(
        calls(&f, "java.security.MessageDigest.getInstance").len(),
        2
    );
    let random = calls(&f, "java.util.Random");
    assert_eq!(random.len(), 1);
    assert_eq!(random[0].kind, crate::analysis::CallKind::Constructor);
    assert_eq!(calls(&f, "java.lang.Runtime.exec").len(), 2);
    assert_eq!(calls(&f, "java.lang.Math.random").len(), 1);
    assert_eq!(calls(&f, "unknown.thing").len(), 1);
}

#[test]
fn factory_return_types_flow_into_var() {
    let f = facts(&servlet(
        "    var st = conn.createStatement();\n    st.executeQuery(\"select 1\");\n    Statement s2 = conn.createStatement();\n    s2.execute(\"x\");",
    ));
    assert_eq!(calls(&f, "java.sql.Statement.executeQuery").len(), 1);
    assert_eq!(calls(&f, "java.sql.Statement.execute").len(), 1);
}

#[test]
fn constants_through_concatenation_fields_and_format() {
    let f = facts(
        "import java.security.MessageDigest;\nclass A {\n  static final String ALG = \"MD\" + 5;\n  private static final String PREFIX = \"SHA\";\n  void m() throws Exception {\n    String a = ALG;\n    MessageDigest.getInstance(a);\n    MessageDigest.getInstance(PREFIX + \"-1\");\n    MessageDigest.getInstance(String.format(\"%s-%d\", \"SHA\", 256));\n    MessageDigest.getInstance(\"\"\"\n        MD2\"\"\");\n    MessageDigest.getInstance(A.ALG.toLowerCase());\n  }\n}\n",
    );
    let values: Vec<Option<Constant>> = calls(&f, "java.security.MessageDigest.getInstance")
        .iter()
        .map(|c| c.positional(0).and_then(|a| a.value.constant.clone()))
        .collect();
    let s = |x: &str| Some(Constant::Str(x.to_string()));
    assert_eq!(
        values,
        vec![s("MD5"), s("SHA-1"), s("SHA-256"), s("MD2"), s("md5")]
    );
}

#[test]
fn request_parameter_reaches_query_through_builders() {
    let f = facts(&servlet(
        "    String id = req.getParameter(\"id\");\n    StringBuilder sb = new StringBuilder(\"select * from t where id=\");\n    sb.append(id);\n    Statement st = conn.createStatement();\n    st.executeQuery(sb.toString());\n    st.executeQuery(\"select \" + id.trim());\n    st.executeQuery(String.format(\"select %s\", id));",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![true, true, true]
    );
    let call = calls(&f, "java.sql.Statement.executeQuery")[0];
    let origin = call.args[0].value.taint.origins().first().expect("origin");
    assert_eq!(&*origin.label, "req.getParameter");
}

#[test]
fn overwritten_sanitised_and_guarded_values_are_clean() {
    let f = facts(&servlet(
        "    String id = req.getParameter(\"id\");\n    Statement st = conn.createStatement();\n    int n = Integer.parseInt(id);\n    st.executeQuery(\"select \" + n);\n    String q = id;\n    q = \"select 1\";\n    st.executeQuery(q);\n    if (ALLOWED.contains(id)) {\n      st.executeQuery(id);\n    }\n    if (!id.matches(\"[0-9]+\")) {\n      return;\n    }\n    st.executeQuery(id);",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![false, false, false, false]
    );
}

#[test]
fn branches_merge_and_dead_branches_are_skipped() {
    let f = facts(&servlet(
        "    String q = \"select 1\";\n    if (req.getMethod() == null) {\n      q = req.getHeader(\"x\");\n    }\n    Statement st = conn.createStatement();\n    st.executeQuery(q);\n    if (false) {\n      st.executeQuery(req.getParameter(\"a\"));\n    }\n    String r = DEBUG ? req.getParameter(\"b\") : \"x\";\n    st.execute(r);\n    int num = 106;\n    String bar = (7 * 18) + num > 200 ? \"always\" : req.getParameter(\"c\");\n    st.execute(bar);",
    )
    .replace("Connection conn;", "Connection conn;\n  static final boolean DEBUG = false;"));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![true]
    );
    assert_eq!(
        tainted(&f, "java.sql.Statement.execute", 0, SinkKind::Sql),
        vec![false, false]
    );
}

#[test]
fn loops_collections_and_arrays_propagate() {
    let f = facts(&servlet(
        "    java.util.List<String> parts = new java.util.ArrayList<>();\n    for (String p : req.getParameterValues(\"p\")) {\n      parts.add(p);\n    }\n    String joined = \"\";\n    for (String part : parts) { joined += part; }\n    Statement st = conn.createStatement();\n    st.executeQuery(joined);\n    String[] cmd = {\"ls\", req.getParameter(\"d\")};\n    Runtime.getRuntime().exec(cmd[0]);\n    Runtime.getRuntime().exec(cmd[1]);",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![true]
    );
    assert_eq!(
        tainted(&f, "java.lang.Runtime.exec", 0, SinkKind::Command),
        vec![false, true]
    );
}

#[test]
fn summaries_of_helpers_and_other_sources() {
    let f = facts(
        "import java.util.Scanner;\nimport org.springframework.web.bind.annotation.RequestParam;\nclass A {\n  private static String wrap(String s) { return \"'\" + s + \"'\"; }\n  private static String fixed(String s) { return \"x\"; }\n  private String env() { return System.getenv(\"CMD\"); }\n  public static void main(String[] args) throws Exception {\n    Runtime.getRuntime().exec(wrap(args[0]));\n    Runtime.getRuntime().exec(fixed(args[0]));\n    Scanner in = new Scanner(System.in);\n    Runtime.getRuntime().exec(in.nextLine());\n  }\n  void web(@RequestParam(\"q\") String q, @RequestParam Long n) throws Exception {\n    Runtime.getRuntime().exec(q);\n    Runtime.getRuntime().exec(\"kill \" + n);\n    Runtime.getRuntime().exec(env());\n    Runtime.getRuntime().exec(String.valueOf(Integer.parseInt(q)));\n  }\n}\n",
    );
    assert_eq!(
        tainted(&f, "java.lang.Runtime.exec", 0, SinkKind::Command),
        vec![true, false, true, true, false, true, false]
    );
}

#[test]
fn lambdas_and_switches_propagate() {
    let f = facts(&servlet(
        "    Statement st = conn.createStatement();\n    java.util.List<String> names = java.util.Arrays.asList(req.getParameter(\"n\"));\n    names.forEach(n -> { try { st.executeQuery(n); } catch (Exception e) {} });\n    String q = switch (req.getParameter(\"k\")) {\n      case \"a\" -> \"select a\";\n      default -> req.getParameter(\"z\");\n    };\n    st.execute(q);",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![true]
    );
    assert_eq!(
        tainted(&f, "java.sql.Statement.execute", 0, SinkKind::Sql),
        vec![true]
    );
}

#[test]
fn escaping_sanitises_only_its_sink() {
    let f = facts(&servlet(
        "    String n = org.owasp.encoder.Encode.forHtml(req.getParameter(\"n\"));\n    Statement st = conn.createStatement();\n    st.executeQuery(n);\n    java.nio.file.Path p = java.nio.file.Paths.get(req.getParameter(\"f\")).getFileName();\n    st.execute(p.toString());",
    ));
    let call = calls(&f, "java.sql.Statement.executeQuery")[0];
    let taint = &call.args[0].value.taint;
    assert!(taint.tainted_for(SinkKind::Sql).is_some());
    assert!(taint.tainted_for(SinkKind::Html).is_none());
    let exec = calls(&f, "java.sql.Statement.execute")[0];
    assert!(exec.args[0]
        .value
        .taint
        .tainted_for(SinkKind::Path)
        .is_none());
    assert!(exec.args[0]
        .value
        .taint
        .tainted_for(SinkKind::Sql)
        .is_some());
}

#[test]
fn broken_and_deeply_nested_code_does_not_panic() {
    let broken =
        "class A { void m() { String s = req.getParameter(; Runtime.getRuntime().exec(s \n";
    let _ = facts(broken);
    let deep = format!(
        "class A {{ void m() {{ String s = {}\"a\"{}; }} }}",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let _ = facts(&deep);
    let nested_blocks = format!(
        "class A {{ void m() {{ {} x(); {} }} }}",
        "if (a) {".repeat(2000),
        "}".repeat(2000)
    );
    let _ = facts(&nested_blocks);
}

#[test]
fn collections_built_here_are_read_back_exactly() {
    let f = facts(&servlet(
        "    String param = req.getParameter(\"p\");\n    java.util.List<String> values = new java.util.ArrayList<String>();\n    values.add(\"safe\");\n    values.add(param);\n    values.add(\"moresafe\");\n    values.remove(0);\n    Statement st = conn.createStatement();\n    st.execute(values.get(1));\n    st.execute(values.get(0));\n    java.util.HashMap<String, Object> map = new java.util.HashMap<String, Object>();\n    map.put(\"keyA\", \"a_Value\");\n    map.put(\"keyB\", param);\n    st.executeQuery((String) map.get(\"keyA\"));\n    st.executeQuery((String) map.get(\"keyB\"));",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.execute", 0, SinkKind::Sql),
        vec![false, true]
    );
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![false, true]
    );
}

#[test]
fn helpers_running_their_argument_are_sinks_for_the_caller() {
    let f = facts(&servlet(
        "    run(req.getParameter(\"q\"));\n    run(\"select 1\");\n  }\n  private void run(String sql) throws Exception {\n    conn.createStatement().executeQuery(sql);",
    ));
    let calls = calls(&f, "java.sql.Statement.executeQuery");
    assert_eq!(calls.len(), 1);
    let origin = calls[0].args[0]
        .value
        .taint
        .tainted_for(SinkKind::Sql)
        .expect("tainted by the caller's request parameter");
    assert_eq!(&*origin.label, "req.getParameter");
}

#[test]
fn lookups_in_clean_maps_are_clean() {
    let f = facts(&servlet(
        "    java.util.Map<String, String> sorts = java.util.Map.of(\"date\", \"created_at\");\n    String column = sorts.getOrDefault(req.getParameter(\"s\"), \"id\");\n    Statement st = conn.createStatement();\n    st.executeQuery(\"select * from t order by \" + column);\n    java.util.Map<String, String[]> params = req.getParameterMap();\n    st.executeQuery(params.get(\"q\")[0]);",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.executeQuery", 0, SinkKind::Sql),
        vec![false, true]
    );
}

#[test]
fn switch_on_a_constant_runs_one_case() {
    let f = facts(&servlet(
        "    String param = req.getParameter(\"p\");\n    String bar;\n    char target = 'B';\n    switch (target) {\n      case 'A':\n        bar = param;\n        break;\n      case 'B':\n        bar = \"bob\";\n        break;\n      default:\n        bar = param;\n    }\n    Statement st = conn.createStatement();\n    st.execute(bar);\n    switch (param) {\n      case \"x\": bar = param; break;\n      default: bar = \"y\";\n    }\n    st.execute(bar);",
    ));
    assert_eq!(
        tainted(&f, "java.sql.Statement.execute", 0, SinkKind::Sql),
        vec![false, true]
    );
}

#[test]
fn normalised_paths_checked_with_starts_with_are_safe_for_paths_only() {
    let f = facts(&servlet(
        "    java.nio.file.Path base = java.nio.file.Paths.get(\"/srv\").normalize();\n    java.nio.file.Path p = base.resolve(req.getParameter(\"f\")).normalize();\n    if (!p.startsWith(base)) {\n      throw new SecurityException();\n    }\n    java.nio.file.Files.readAllBytes(p);\n    java.io.File file = new java.io.File(\"/srv\", req.getParameter(\"g\"));\n    String canonical = file.getCanonicalPath();\n    if (canonical.startsWith(\"/srv/\")) {\n      java.nio.file.Files.delete(file.toPath());\n    }\n    java.nio.file.Path unchecked = java.nio.file.Paths.get(req.getParameter(\"h\"));\n    if (unchecked.startsWith(base)) {\n      java.nio.file.Files.lines(unchecked);\n    }",
    ));
    assert_eq!(
        tainted(&f, "java.nio.file.Files.readAllBytes", 0, SinkKind::Path),
        vec![false]
    );
    assert_eq!(
        tainted(&f, "java.nio.file.Files.delete", 0, SinkKind::Path),
        vec![false]
    );
    // Without normalisation `../` still escapes the base directory.
    assert_eq!(
        tainted(&f, "java.nio.file.Files.lines", 0, SinkKind::Path),
        vec![true]
    );
    // The check is about paths, not SQL.
    assert_eq!(
        tainted(&f, "java.nio.file.Files.readAllBytes", 0, SinkKind::Sql),
        vec![true]
    );
}

#[test]
fn removing_line_breaks_sanitises_logs_and_headers() {
    let f = facts(&servlet(
        "    String u = req.getParameter(\"u\");\n    resp.setHeader(\"A\", u.replaceAll(\"[\\\\r\\\\n]\", \"\"));\n    resp.setHeader(\"B\", u.replace('\\n', '_'));\n    resp.setHeader(\"C\", u.replace(\"a\", \"b\"));\n    resp.setHeader(\"D\", u.replace(\"\\r\\n\", \"\"));",
    ));
    assert_eq!(
        tainted(
            &f,
            "javax.servlet.http.HttpServletResponse.setHeader",
            1,
            SinkKind::Header
        ),
        vec![false, false, true, false]
    );
    assert_eq!(
        tainted(
            &f,
            "javax.servlet.http.HttpServletResponse.setHeader",
            1,
            SinkKind::Html
        ),
        vec![true, true, true, true]
    );
}

#[test]
fn a_constant_host_prefix_fixes_the_destination() {
    let f = facts(&servlet(
        "    String x = req.getParameter(\"x\");\n    resp.sendRedirect(\"https://shop.example.com/\" + x);\n    resp.sendRedirect(\"/account/\" + x);\n    resp.sendRedirect(\"https://\" + x);\n    resp.sendRedirect(\"//\" + x);\n    resp.sendRedirect(x + \"/home\");\n    String u = \"https://api.example.com/v1?q=\";\n    u += x;\n    resp.sendRedirect(u);",
    ));
    assert_eq!(
        tainted(
            &f,
            "javax.servlet.http.HttpServletResponse.sendRedirect",
            0,
            SinkKind::Url
        ),
        vec![false, false, true, true, true, false]
    );
}

#[test]
fn always_false_conjunctions_are_dead_branches_and_jakarta_types_resolve() {
    let f = facts(
        "import jakarta.servlet.http.*;\nclass S {\n  void m(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n    String q = \"ok\";\n    if (req.getParameter(\"a\") != null && false) {\n      q = req.getParameter(\"a\");\n    }\n    resp.getWriter().println(q);\n    resp.getWriter().println(req.getParameter(\"b\"));\n    req.getSession().setAttribute(\"k\", req.getParameter(\"c\"));\n  }\n}\n",
    );
    assert_eq!(
        tainted(&f, "java.io.PrintWriter.println", 0, SinkKind::Html),
        vec![false, true]
    );
    assert_eq!(
        calls(&f, "jakarta.servlet.http.HttpSession.setAttribute").len(),
        1
    );
}

#[test]
fn lookup_defaults_and_concatenation_prefixes_are_kept() {
    let f = facts(
        "import java.security.MessageDigest;\nclass A {\n  void m(java.util.Properties p, String t) throws Exception {\n    String alg = p.getProperty(\"alg\", \"MD5\");\n    MessageDigest.getInstance(alg);\n    MessageDigest.getInstance(p.getProperty(\"alg\"));\n    String h = \"Basic \" + t + \"!\";\n    MessageDigest.getInstance(h);\n    MessageDigest.getInstance(t + \"Basic \");\n  }\n}\n",
    );
    let field = |i: usize, key: &str| -> Option<String> {
        calls(&f, "java.security.MessageDigest.getInstance")[i]
            .positional(0)
            .and_then(|a| a.value.field(key))
            .and_then(|v| v.const_str().map(str::to_string))
    };
    assert_eq!(field(0, super::DEFAULT_FIELD).as_deref(), Some("MD5"));
    assert_eq!(field(1, super::DEFAULT_FIELD), None);
    assert_eq!(field(2, super::PREFIX_FIELD).as_deref(), Some("Basic "));
    assert_eq!(field(3, super::PREFIX_FIELD), None);
}
