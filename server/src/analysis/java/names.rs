//! Name resolution for Java: single-type, static and wildcard imports, `java.lang` implied, and the
//! well-known classes a wildcard import may bring into scope.

use tree_sitter::Node;

use super::ids::Kind;

use crate::analysis::Imports;
use crate::lang::syntax::text;

/// Well-known classes by package, used to resolve simple names brought in by wildcard imports
/// (`import java.sql.*;`) and by the implicit `java.lang.*`.
const KNOWN_CLASSES: &[(&str, &[&str])] = &[
    (
        "java.lang",
        &[
            "Boolean",
            "Byte",
            "Character",
            "Class",
            "Double",
            "Float",
            "Integer",
            "Long",
            "Math",
            "Object",
            "Process",
            "ProcessBuilder",
            "Runtime",
            "Short",
            "StrictMath",
            "String",
            "StringBuffer",
            "StringBuilder",
            "System",
            "Thread",
            "ClassLoader",
            "Exception",
            "RuntimeException",
            "Iterable",
            "CharSequence",
            "Number",
        ],
    ),
    (
        "java.sql",
        &[
            "CallableStatement",
            "Connection",
            "DriverManager",
            "PreparedStatement",
            "ResultSet",
            "SQLException",
            "Statement",
        ],
    ),
    (
        "java.util",
        &[
            "ArrayList",
            "Arrays",
            "Collection",
            "Collections",
            "HashMap",
            "HashSet",
            "LinkedList",
            "List",
            "Map",
            "Optional",
            "Properties",
            "Random",
            "Scanner",
            "Set",
            "SplittableRandom",
            "TreeMap",
            "TreeSet",
            "UUID",
            "LinkedHashMap",
            "LinkedHashSet",
            "Base64",
            "Objects",
        ],
    ),
    ("java.util.concurrent", &["ThreadLocalRandom"]),
    (
        "java.security",
        &[
            "MessageDigest",
            "SecureRandom",
            "KeyStore",
            "KeyPairGenerator",
        ],
    ),
    (
        "java.io",
        &[
            "BufferedReader",
            "File",
            "FileInputStream",
            "FileReader",
            "InputStream",
            "InputStreamReader",
            "IOException",
            "Reader",
            "StringReader",
            "FileOutputStream",
            "FileWriter",
            "ObjectInputStream",
            "ObjectOutputStream",
            "PrintWriter",
            "RandomAccessFile",
            "OutputStream",
            "ByteArrayInputStream",
            "BufferedInputStream",
            "BufferedWriter",
        ],
    ),
    (
        "java.net",
        &[
            "Socket",
            "URL",
            "ServerSocket",
            "URI",
            "URLConnection",
            "HttpURLConnection",
            "URLEncoder",
        ],
    ),
    (
        "javax.naming.directory",
        &[
            "DirContext",
            "InitialDirContext",
            "SearchControls",
            "SearchResult",
        ],
    ),
    ("javax.naming.ldap", &["LdapContext", "InitialLdapContext"]),
    (
        "javax.naming",
        &["Context", "InitialContext", "NamingEnumeration"],
    ),
    (
        "javax.xml.xpath",
        &["XPath", "XPathFactory", "XPathExpression", "XPathConstants"],
    ),
    ("javax.script", &["ScriptEngine", "ScriptEngineManager"]),
    (
        "javax.crypto",
        &["Cipher", "KeyGenerator", "SecretKey", "Mac"],
    ),
    ("javax.crypto.spec", &["SecretKeySpec", "IvParameterSpec"]),
    (
        "javax.net.ssl",
        &[
            "SSLContext",
            "TrustManager",
            "X509TrustManager",
            "HostnameVerifier",
            "HttpsURLConnection",
            "SSLSession",
        ],
    ),
    ("java.util.logging", &["Logger", "Level"]),
    ("java.nio.file", &["Files", "Path", "Paths"]),
    (
        "javax.xml.parsers",
        &[
            "DocumentBuilder",
            "DocumentBuilderFactory",
            "ParserConfigurationException",
            "SAXParser",
            "SAXParserFactory",
        ],
    ),
    ("javax.xml", &["XMLConstants"]),
    ("javax.xml.stream", &["XMLInputFactory", "XMLStreamReader"]),
    (
        "javax.xml.transform",
        &["Transformer", "TransformerFactory"],
    ),
    (
        "javax.xml.validation",
        &["Schema", "SchemaFactory", "Validator"],
    ),
    ("org.xml.sax", &["XMLReader", "InputSource", "SAXException"]),
    ("org.xml.sax.helpers", &["XMLReaderFactory"]),
    (
        "javax.servlet.http",
        &[
            "Cookie",
            "HttpServlet",
            "HttpServletRequest",
            "HttpServletResponse",
            "HttpSession",
        ],
    ),
    ("javax.servlet", &["ServletRequest", "ServletResponse"]),
    (
        "jakarta.servlet.http",
        &[
            "Cookie",
            "HttpServlet",
            "HttpServletRequest",
            "HttpServletResponse",
            "HttpSession",
        ],
    ),
    ("jakarta.servlet", &["ServletRequest", "ServletResponse"]),
    ("javax.persistence", &["EntityManager", "Query"]),
    ("jakarta.persistence", &["EntityManager", "Query"]),
    ("org.hibernate", &["Session", "SessionFactory"]),
    (
        "org.springframework.jdbc.core",
        &["JdbcTemplate", "NamedParameterJdbcTemplate"],
    ),
    ("org.apache.commons.codec.digest", &["DigestUtils"]),
    ("org.apache.commons.io", &["FilenameUtils"]),
    ("org.apache.commons.text", &["StringEscapeUtils"]),
    (
        "org.apache.commons.lang3",
        &["StringEscapeUtils", "StringUtils"],
    ),
    ("com.google.common.hash", &["Hashing"]),
    ("org.owasp.encoder", &["Encode"]),
    ("org.owasp.esapi", &["ESAPI", "Encoder"]),
    ("org.dom4j.io", &["SAXReader"]),
    ("org.jdom2.input", &["SAXBuilder"]),
];

/// The well-known class `simple` in `package`, if the table knows it.
fn known_in(package: &str, simple: &str) -> bool {
    KNOWN_CLASSES
        .iter()
        .any(|(p, names)| *p == package && names.contains(&simple))
}

/// Reads the file's import declarations into bindings: `import a.b.C;` binds `C`,
/// `import static a.b.C.m;` binds `m`, and a wildcard import binds the well-known classes of its
/// package whose simple name no other import claims (an ambiguous simple name stays unbound).
pub fn collect_imports(root: Node<'_>, source: &str) -> Imports {
    let mut imports = Imports::default();
    let mut wildcards: Vec<String> = Vec::new();
    let mut cursor = root.walk();
    for decl in root.named_children(&mut cursor) {
        if decl.kind_name() != "import_declaration" {
            continue;
        }
        let mut inner = decl.walk();
        let mut path = None;
        let mut wildcard = false;
        for child in decl.named_children(&mut inner) {
            match child.kind_name() {
                "scoped_identifier" | "identifier" => path = Some(compact(text(child, source))),
                "asterisk" => wildcard = true,
                _ => {}
            }
        }
        let Some(path) = path else { continue };
        if wildcard {
            wildcards.push(path);
        } else if let Some((_, simple)) = path.rsplit_once('.') {
            imports.bind(simple.to_string(), path.clone());
        }
    }
    for package in &wildcards {
        let Some((_, names)) = KNOWN_CLASSES.iter().find(|(p, _)| p == package) else {
            continue;
        };
        for simple in names.iter() {
            let claimed = imports.resolve(simple).is_some();
            let ambiguous = wildcards
                .iter()
                .any(|other| other != package && known_in(other, simple));
            if !claimed && !ambiguous {
                imports.bind(*simple, format!("{package}.{simple}"));
            }
        }
    }
    imports
}

/// Resolves a type as written (`Statement`, `java.sql.Statement`, `List<String>`, `Cookie[]`) to
/// a qualified name: imports first, then classes of `java.lang`; other simple names stay as
/// written. Generic arguments are dropped; array dimensions are kept as `[]`.
pub fn resolve_type(written: &str, imports: &Imports) -> String {
    let compacted = compact(written);
    let (base, dims) = match compacted.find('[') {
        Some(at) => (&compacted[..at], &compacted[at..]),
        None => (compacted.as_str(), ""),
    };
    let base = base.split('<').next().unwrap_or(base);
    let dims = if dims.is_empty() { "" } else { "[]" };
    let head = base.split('.').next().unwrap_or(base);
    let resolved = if imports.resolve(head).is_some() {
        imports.qualify(base)
    } else if !base.contains('.') && known_in("java.lang", base) {
        format!("java.lang.{base}")
    } else {
        base.to_string()
    };
    format!("{resolved}{dims}")
}

/// Whether a dotted name written in code looks like a class reference (`MessageDigest`,
/// `java.security.MessageDigest`, `Outer.Inner`): its last segment starts with an upper-case letter
/// and every earlier segment is a lower-case package or another class.
pub fn looks_like_class(dotted: &str) -> bool {
    dotted
        .rsplit('.')
        .next()
        .and_then(|last| last.chars().next())
        .is_some_and(char::is_uppercase)
        && dotted.split('.').all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

/// Removes whitespace and comments-free line breaks inside a dotted name or type.
pub fn compact(written: &str) -> String {
    written.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    fn imports_of(source: &str) -> Imports {
        let tree = parse_str(Language::Java, source).expect("java parses");
        collect_imports(tree.root_node(), source)
    }

    #[test]
    fn single_static_and_wildcard_imports() {
        let imports = imports_of(
            "import java.security.MessageDigest;\nimport static java.lang.Math.random;\nimport java.sql.*;\nimport java.util.*;\n",
        );
        assert_eq!(
            imports.resolve("MessageDigest"),
            Some("java.security.MessageDigest")
        );
        assert_eq!(imports.resolve("random"), Some("java.lang.Math.random"));
        assert_eq!(imports.resolve("Statement"), Some("java.sql.Statement"));
        assert_eq!(imports.resolve("Random"), Some("java.util.Random"));
        assert_eq!(resolve_type("String", &imports), "java.lang.String");
        assert_eq!(resolve_type("List<String>", &imports), "java.util.List");
        assert_eq!(resolve_type("Foo[]", &imports), "Foo[]");
    }

    #[test]
    fn ambiguous_wildcards_stay_unbound() {
        let imports = imports_of("import javax.servlet.http.*;\nimport jakarta.servlet.http.*;\n");
        assert_eq!(imports.resolve("Cookie"), None);
        let explicit = imports_of("import java.util.*;\nimport com.acme.Random;\n");
        assert_eq!(explicit.resolve("Random"), Some("com.acme.Random"));
    }

    #[test]
    fn class_references() {
        assert!(looks_like_class("MessageDigest"));
        assert!(looks_like_class("java.security.MessageDigest"));
        assert!(!looks_like_class("md"));
        assert!(!looks_like_class("getFoo()"));
    }
}
