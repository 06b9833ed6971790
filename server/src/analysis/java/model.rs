//! What the analysis knows about Java APIs: return types of factory methods, taint sources,
//! sanitisers, methods whose results carry no taint, and well-known constant fields.

use crate::analysis::{SinkKind, SinkSet, SourceKind};

/// Return types of well-known methods, by qualified method name.
const RETURN_TYPES: &[(&str, &str)] = &[
    ("java.lang.Runtime.getRuntime", "java.lang.Runtime"),
    ("java.lang.Runtime.exec", "java.lang.Process"),
    ("java.lang.ProcessBuilder.start", "java.lang.Process"),
    (
        "java.sql.DriverManager.getConnection",
        "java.sql.Connection",
    ),
    ("javax.sql.DataSource.getConnection", "java.sql.Connection"),
    ("java.sql.Connection.createStatement", "java.sql.Statement"),
    (
        "java.sql.Connection.prepareStatement",
        "java.sql.PreparedStatement",
    ),
    (
        "java.sql.Connection.prepareCall",
        "java.sql.CallableStatement",
    ),
    ("java.sql.Statement.executeQuery", "java.sql.ResultSet"),
    (
        "java.sql.PreparedStatement.executeQuery",
        "java.sql.ResultSet",
    ),
    (
        "java.security.MessageDigest.getInstance",
        "java.security.MessageDigest",
    ),
    (
        "java.util.concurrent.ThreadLocalRandom.current",
        "java.util.concurrent.ThreadLocalRandom",
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newInstance",
        "javax.xml.parsers.DocumentBuilderFactory",
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance",
        "javax.xml.parsers.DocumentBuilderFactory",
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newNSInstance",
        "javax.xml.parsers.DocumentBuilderFactory",
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newDefaultNSInstance",
        "javax.xml.parsers.DocumentBuilderFactory",
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newDocumentBuilder",
        "javax.xml.parsers.DocumentBuilder",
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newInstance",
        "javax.xml.parsers.SAXParserFactory",
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newDefaultInstance",
        "javax.xml.parsers.SAXParserFactory",
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newNSInstance",
        "javax.xml.parsers.SAXParserFactory",
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newSAXParser",
        "javax.xml.parsers.SAXParser",
    ),
    (
        "javax.xml.parsers.SAXParser.getXMLReader",
        "org.xml.sax.XMLReader",
    ),
    (
        "javax.xml.stream.XMLInputFactory.newInstance",
        "javax.xml.stream.XMLInputFactory",
    ),
    (
        "javax.xml.stream.XMLInputFactory.newFactory",
        "javax.xml.stream.XMLInputFactory",
    ),
    (
        "javax.xml.stream.XMLInputFactory.newDefaultFactory",
        "javax.xml.stream.XMLInputFactory",
    ),
    (
        "javax.xml.transform.TransformerFactory.newInstance",
        "javax.xml.transform.TransformerFactory",
    ),
    (
        "javax.xml.transform.TransformerFactory.newDefaultInstance",
        "javax.xml.transform.TransformerFactory",
    ),
    (
        "javax.xml.transform.TransformerFactory.newTransformer",
        "javax.xml.transform.Transformer",
    ),
    (
        "javax.xml.validation.SchemaFactory.newInstance",
        "javax.xml.validation.SchemaFactory",
    ),
    (
        "javax.xml.validation.SchemaFactory.newDefaultInstance",
        "javax.xml.validation.SchemaFactory",
    ),
    (
        "javax.xml.validation.SchemaFactory.newSchema",
        "javax.xml.validation.Schema",
    ),
    (
        "javax.xml.validation.Schema.newValidator",
        "javax.xml.validation.Validator",
    ),
    (
        "org.xml.sax.helpers.XMLReaderFactory.createXMLReader",
        "org.xml.sax.XMLReader",
    ),
    (
        "javax.persistence.EntityManagerFactory.createEntityManager",
        "javax.persistence.EntityManager",
    ),
    (
        "jakarta.persistence.EntityManagerFactory.createEntityManager",
        "jakarta.persistence.EntityManager",
    ),
    (
        "org.hibernate.SessionFactory.openSession",
        "org.hibernate.Session",
    ),
    (
        "org.hibernate.SessionFactory.getCurrentSession",
        "org.hibernate.Session",
    ),
    ("org.owasp.esapi.ESAPI.encoder", "org.owasp.esapi.Encoder"),
    ("java.nio.file.Paths.get", "java.nio.file.Path"),
    ("java.nio.file.Path.of", "java.nio.file.Path"),
    ("java.nio.file.Path.getFileName", "java.nio.file.Path"),
    ("java.nio.file.Path.normalize", "java.nio.file.Path"),
    ("java.nio.file.Path.resolve", "java.nio.file.Path"),
    ("java.net.Socket.getInputStream", "java.io.InputStream"),
    (
        "javax.servlet.http.HttpServletRequest.getCookies",
        "javax.servlet.http.Cookie[]",
    ),
    (
        "jakarta.servlet.http.HttpServletRequest.getCookies",
        "jakarta.servlet.http.Cookie[]",
    ),
    (
        "javax.servlet.http.HttpServletResponse.getWriter",
        "java.io.PrintWriter",
    ),
    (
        "javax.servlet.ServletResponse.getWriter",
        "java.io.PrintWriter",
    ),
    (
        "javax.servlet.http.HttpServletResponse.getOutputStream",
        "javax.servlet.ServletOutputStream",
    ),
    (
        "javax.servlet.ServletResponse.getOutputStream",
        "javax.servlet.ServletOutputStream",
    ),
    (
        "javax.servlet.http.HttpServletRequest.getSession",
        "javax.servlet.http.HttpSession",
    ),
    (
        "javax.xml.xpath.XPathFactory.newInstance",
        "javax.xml.xpath.XPathFactory",
    ),
    (
        "javax.xml.xpath.XPathFactory.newXPath",
        "javax.xml.xpath.XPath",
    ),
    (
        "javax.script.ScriptEngineManager.getEngineByName",
        "javax.script.ScriptEngine",
    ),
    (
        "javax.script.ScriptEngineManager.getEngineByExtension",
        "javax.script.ScriptEngine",
    ),
    (
        "javax.script.ScriptEngineManager.getEngineByMimeType",
        "javax.script.ScriptEngine",
    ),
    ("java.net.URL.openConnection", "java.net.URLConnection"),
    ("java.net.URI.create", "java.net.URI"),
    ("java.net.URI.toURL", "java.net.URL"),
    ("java.io.File.toPath", "java.nio.file.Path"),
    ("java.nio.file.Path.toFile", "java.io.File"),
    ("java.nio.file.Path.toAbsolutePath", "java.nio.file.Path"),
    ("java.nio.file.Path.toRealPath", "java.nio.file.Path"),
    ("java.io.File.getCanonicalFile", "java.io.File"),
    ("java.io.File.getAbsoluteFile", "java.io.File"),
    ("org.slf4j.LoggerFactory.getLogger", "org.slf4j.Logger"),
    (
        "org.apache.logging.log4j.LogManager.getLogger",
        "org.apache.logging.log4j.Logger",
    ),
    (
        "org.apache.log4j.Logger.getLogger",
        "org.apache.log4j.Logger",
    ),
    (
        "org.apache.log4j.LogManager.getLogger",
        "org.apache.log4j.Logger",
    ),
    (
        "java.util.logging.Logger.getLogger",
        "java.util.logging.Logger",
    ),
    (
        "org.apache.commons.logging.LogFactory.getLog",
        "org.apache.commons.logging.Log",
    ),
    (
        "javax.net.ssl.SSLContext.getInstance",
        "javax.net.ssl.SSLContext",
    ),
    ("javax.crypto.Cipher.getInstance", "javax.crypto.Cipher"),
    (
        "java.security.KeyPairGenerator.getInstance",
        "java.security.KeyPairGenerator",
    ),
    (
        "javax.crypto.KeyGenerator.getInstance",
        "javax.crypto.KeyGenerator",
    ),
    (
        "org.springframework.expression.spel.standard.SpelExpressionParser.parseExpression",
        "org.springframework.expression.Expression",
    ),
    (
        "org.springframework.http.ResponseEntity.ok",
        "org.springframework.http.ResponseEntity.BodyBuilder",
    ),
    (
        "org.springframework.http.ResponseEntity.status",
        "org.springframework.http.ResponseEntity.BodyBuilder",
    ),
    (
        "org.springframework.http.ResponseEntity.BodyBuilder.contentType",
        "org.springframework.http.ResponseEntity.BodyBuilder",
    ),
    (
        "org.springframework.http.ResponseEntity.BodyBuilder.header",
        "org.springframework.http.ResponseEntity.BodyBuilder",
    ),
    ("java.lang.Thread.currentThread", "java.lang.Thread"),
    (
        "java.lang.Thread.getContextClassLoader",
        "java.lang.ClassLoader",
    ),
    ("java.lang.Class.forName", "java.lang.Class"),
    ("java.lang.Class.getClassLoader", "java.lang.ClassLoader"),
    (
        "org.springframework.http.ResponseCookie.from",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.secure",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.httpOnly",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.path",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.maxAge",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.sameSite",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    (
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder.domain",
        "org.springframework.http.ResponseCookie.ResponseCookieBuilder",
    ),
    ("io.jsonwebtoken.Jwts.parser", "io.jsonwebtoken.JwtParser"),
    (
        "io.jsonwebtoken.Jwts.parserBuilder",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.build",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.setSigningKey",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.setSigningKeyResolver",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.requireIssuer",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.requireAudience",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.requireSubject",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParser.setAllowedClockSkewSeconds",
        "io.jsonwebtoken.JwtParser",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.setSigningKey",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.setSigningKeyResolver",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.verifyWith",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.keyLocator",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.requireIssuer",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.requireAudience",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.requireSubject",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.setAllowedClockSkewSeconds",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.clockSkewSeconds",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    (
        "io.jsonwebtoken.JwtParserBuilder.unsecured",
        "io.jsonwebtoken.JwtParserBuilder",
    ),
    ("java.lang.StringBuilder.append", "java.lang.StringBuilder"),
    ("java.lang.StringBuffer.append", "java.lang.StringBuffer"),
    ("java.lang.StringBuilder.insert", "java.lang.StringBuilder"),
    ("java.lang.StringBuffer.insert", "java.lang.StringBuffer"),
    ("java.lang.String.format", "java.lang.String"),
    ("java.lang.String.valueOf", "java.lang.String"),
    ("java.lang.String.join", "java.lang.String"),
];

/// Methods of `String` (and of builders, for `toString`) whose result is again a `String`.
const STRING_METHODS: &[&str] = &[
    "concat",
    "formatted",
    "intern",
    "repeat",
    "replace",
    "replaceAll",
    "replaceFirst",
    "strip",
    "stripLeading",
    "stripTrailing",
    "substring",
    "toLowerCase",
    "toString",
    "toUpperCase",
    "trim",
    "translateEscapes",
    "stripIndent",
];

/// The return type of a method, when known: from the table, `String` methods on strings, and the
/// `this`-returning builder methods.
pub fn return_type(qualified: &str, receiver_type: Option<&str>, method: &str) -> Option<String> {
    if let Some((_, ty)) = RETURN_TYPES.iter().find(|(name, _)| *name == qualified) {
        return Some((*ty).to_string());
    }
    // Jakarta EE is Java EE renamed: look the `javax.` name up and rename the result back.
    if let Some(rest) = qualified.strip_prefix("jakarta.") {
        let javax = format!("javax.{rest}");
        if let Some((_, ty)) = RETURN_TYPES.iter().find(|(name, _)| *name == javax) {
            return Some(match ty.strip_prefix("javax.servlet") {
                Some(tail) => format!("jakarta.servlet{tail}"),
                None => (*ty).to_string(),
            });
        }
    }
    let on_text = matches!(
        receiver_type,
        Some("java.lang.String" | "java.lang.StringBuilder" | "java.lang.StringBuffer")
    );
    (on_text && STRING_METHODS.contains(&method)).then(|| "java.lang.String".to_string())
}

/// Servlet request types whose accessors return request data.
const REQUEST_TYPES: &[&str] = &[
    "javax.servlet.http.HttpServletRequest",
    "javax.servlet.ServletRequest",
    "jakarta.servlet.http.HttpServletRequest",
    "jakarta.servlet.ServletRequest",
    "HttpServletRequest",
    "ServletRequest",
];

/// Servlet request accessors that return attacker-controlled data.
const REQUEST_METHODS: &[&str] = &[
    "getParameter",
    "getParameterValues",
    "getParameterMap",
    "getParameterNames",
    "getHeader",
    "getHeaders",
    "getHeaderNames",
    "getCookies",
    "getQueryString",
    "getInputStream",
    "getReader",
    "getPathInfo",
    "getRequestURI",
    "getRequestURL",
    "getPart",
    "getParts",
    "getServletPath",
];

/// Request accessors whose values cannot hold a line break: header fields, cookies and the raw
/// (undecoded) request line. The HTTP/1 parser split the request on line breaks, and HTTP/2 and 3
/// reject field values containing them, so these cannot split a response header. Decoded values
/// (parameters, the path info, the servlet path, the body) can.
const LINE_FREE_REQUEST_METHODS: &[&str] = &[
    "getHeader",
    "getHeaders",
    "getHeaderNames",
    "getCookies",
    "getQueryString",
    "getRequestURI",
    "getRequestURL",
];

/// The sink kinds the data of a source is safe for from the start: request headers and the raw
/// request line for response headers (see [`LINE_FREE_REQUEST_METHODS`]).
pub fn source_safe_for(kind: SourceKind, method: &str) -> SinkSet {
    if kind == SourceKind::Request && LINE_FREE_REQUEST_METHODS.contains(&method) {
        SinkSet::of(&[SinkKind::Header])
    } else {
        SinkSet::NONE
    }
}

/// Whether a value of this declared type is a servlet request.
pub fn is_request_type(ty: &str) -> bool {
    REQUEST_TYPES.contains(&ty)
}

/// The kind of untrusted data a call returns, if it is a source.
pub fn source_of(qualified: &str, receiver_type: Option<&str>, method: &str) -> Option<SourceKind> {
    if receiver_type.is_some_and(is_request_type) && REQUEST_METHODS.contains(&method) {
        return Some(SourceKind::Request);
    }
    match qualified {
        "java.lang.System.getenv" => Some(SourceKind::Environment),
        "java.net.Socket.getInputStream" => Some(SourceKind::Network),
        "java.lang.System.console.readLine" => Some(SourceKind::Stdin),
        _ => None,
    }
}

/// Spring MVC parameter annotations that bind request data.
pub const SPRING_SOURCE_ANNOTATIONS: &[&str] = &[
    "RequestParam",
    "PathVariable",
    "RequestBody",
    "RequestHeader",
    "CookieValue",
    "ModelAttribute",
    "MatrixVariable",
    "RequestPart",
];

/// What a sanitiser makes its result safe for: `Some(ALL)` for numeric conversions and other
/// calls whose result carries no taint at all, `Some(kinds)` for escaping functions.
pub fn sanitizer(qualified: &str, receiver_type: Option<&str>, method: &str) -> Option<SinkSet> {
    let all = Some(SinkSet::ALL);
    match qualified {
        "java.lang.Integer.parseInt"
        | "java.lang.Integer.valueOf"
        | "java.lang.Long.parseLong"
        | "java.lang.Long.valueOf"
        | "java.lang.Short.parseShort"
        | "java.lang.Double.parseDouble"
        | "java.lang.Double.valueOf"
        | "java.lang.Float.parseFloat"
        | "java.lang.Boolean.parseBoolean"
        | "java.lang.Boolean.valueOf"
        | "java.util.UUID.fromString"
        | "java.util.UUID.randomUUID"
        | "java.math.BigInteger"
        | "java.math.BigDecimal" => return all,
        "org.owasp.encoder.Encode.forHtml"
        | "org.owasp.encoder.Encode.forHtmlContent"
        | "org.owasp.encoder.Encode.forHtmlAttribute"
        | "org.owasp.encoder.Encode.forHtmlUnquotedAttribute"
        | "org.apache.commons.text.StringEscapeUtils.escapeHtml4"
        | "org.apache.commons.lang3.StringEscapeUtils.escapeHtml4"
        | "org.apache.commons.lang.StringEscapeUtils.escapeHtml"
        | "org.springframework.web.util.HtmlUtils.htmlEscape" => {
            return Some(SinkSet::of(&[SinkKind::Html]))
        }
        "org.owasp.encoder.Encode.forJavaScript" => return Some(SinkSet::of(&[SinkKind::Html])),
        "org.owasp.encoder.Encode.forUriComponent" | "java.net.URLEncoder.encode" => {
            return Some(SinkSet::of(&[SinkKind::Url, SinkKind::Header]))
        }
        "org.apache.commons.io.FilenameUtils.getName" => {
            return Some(SinkSet::of(&[SinkKind::Path]))
        }
        "org.apache.commons.text.StringEscapeUtils.escapeJava"
        | "org.apache.commons.lang3.StringEscapeUtils.escapeJava"
        | "org.owasp.encoder.Encode.forJava" => {
            return Some(SinkSet::of(&[SinkKind::Log, SinkKind::Header]))
        }
        "org.springframework.ldap.support.LdapEncoder.filterEncode"
        | "org.springframework.ldap.support.LdapEncoder.nameEncode" => {
            return Some(SinkSet::of(&[SinkKind::Ldap]))
        }
        _ => {}
    }
    let esapi = matches!(receiver_type, Some("org.owasp.esapi.Encoder"));
    if esapi {
        let kinds: &[SinkKind] = match method {
            "encodeForHTML" | "encodeForHTMLAttribute" | "encodeForJavaScript" | "encodeForCSS" => {
                &[SinkKind::Html]
            }
            "encodeForSQL" => &[SinkKind::Sql],
            "encodeForOS" => &[SinkKind::Command],
            "encodeForLDAP" | "encodeForDN" => &[SinkKind::Ldap],
            "encodeForXPath" => &[SinkKind::XPath],
            "encodeForURL" => &[SinkKind::Url, SinkKind::Header],
            _ => &[],
        };
        if !kinds.is_empty() {
            return Some(SinkSet::of(kinds));
        }
    }
    if qualified == "java.nio.file.Path.getFileName" {
        return Some(SinkSet::of(&[SinkKind::Path]));
    }
    // A servlet context resource lies inside the web application (a `jndi:` or `file:` URL the
    // container resolves), never a network address of the client's choosing.
    if method == "getResource" && receiver_type.is_some_and(is_servlet_context_type) {
        return Some(SinkSet::of(&[SinkKind::Url]));
    }
    None
}

/// Whether a declared type is the servlet context.
fn is_servlet_context_type(ty: &str) -> bool {
    matches!(
        ty,
        "javax.servlet.ServletContext" | "jakarta.servlet.ServletContext" | "ServletContext"
    )
}

/// Methods whose result is a boolean, number or otherwise carries none of the receiver's or the
/// arguments' data.
const CLEAN_RESULTS: &[&str] = &[
    "equals",
    "equalsIgnoreCase",
    "isEmpty",
    "isBlank",
    "contains",
    "containsKey",
    "containsValue",
    "startsWith",
    "endsWith",
    "matches",
    "length",
    "size",
    "indexOf",
    "lastIndexOf",
    "hashCode",
    "compareTo",
    "compareToIgnoreCase",
    "exists",
    "hasNext",
    "hasNextLine",
    "hasNextInt",
    "nextInt",
    "nextLong",
    "nextDouble",
    "nextBoolean",
    "getClass",
    "isPresent",
    "executeUpdate",
    "executeLargeUpdate",
    "getInt",
    "getLong",
    "read",
    "available",
    "charAt",
    "codePointAt",
    "count",
    "canRead",
    "canWrite",
    "isDirectory",
    "isFile",
    "delete",
    "mkdir",
    "mkdirs",
    "close",
    "waitFor",
    "exitValue",
];

/// Whether the result of a call of `method` carries no taint.
pub fn returns_clean(method: &str) -> bool {
    CLEAN_RESULTS.contains(&method)
}

/// Container lookups: the result is an element of the receiver, whatever the key.
pub fn is_lookup(method: &str) -> bool {
    matches!(method, "get" | "getOrDefault" | "getProperty" | "elementAt")
}

/// Methods that store their arguments into the receiver (builders and collections), so the
/// receiver variable takes the arguments' taint.
const STORING_METHODS: &[&str] = &[
    "append",
    "insert",
    "add",
    "addAll",
    "addFirst",
    "addLast",
    "put",
    "putAll",
    "putIfAbsent",
    "push",
    "offer",
    "set",
    "addElement",
    "setProperty",
    "write",
    "print",
    "println",
    "format",
];

/// Whether `method` stores its arguments into its receiver.
pub fn stores_into_receiver(method: &str) -> bool {
    STORING_METHODS.contains(&method)
}

/// The values of well-known constant fields (qualified), so detectors see the string.
pub fn known_constant(qualified: &str) -> Option<&'static str> {
    Some(match qualified {
        "javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING" => {
            "http://javax.xml.XMLConstants/feature/secure-processing"
        }
        "javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD" => {
            "http://javax.xml.XMLConstants/property/accessExternalDTD"
        }
        "javax.xml.XMLConstants.ACCESS_EXTERNAL_SCHEMA" => {
            "http://javax.xml.XMLConstants/property/accessExternalSchema"
        }
        "javax.xml.XMLConstants.ACCESS_EXTERNAL_STYLESHEET" => {
            "http://javax.xml.XMLConstants/property/accessExternalStylesheet"
        }
        "javax.xml.stream.XMLInputFactory.SUPPORT_DTD" => "javax.xml.stream.supportDTD",
        "javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES" => {
            "javax.xml.stream.isSupportingExternalEntities"
        }
        "javax.xml.stream.XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES" => {
            "javax.xml.stream.isReplacingEntityReferences"
        }
        "org.apache.commons.codec.digest.MessageDigestAlgorithms.MD5" => "MD5",
        "org.apache.commons.codec.digest.MessageDigestAlgorithms.MD2" => "MD2",
        "org.apache.commons.codec.digest.MessageDigestAlgorithms.SHA_1" => "SHA-1",
        "org.apache.commons.codec.digest.MessageDigestAlgorithms.SHA_256" => "SHA-256",
        "java.io.File.separator" => "/",
        "java.nio.file.attribute.PosixFilePermission.OTHERS_READ" => "OTHERS_READ",
        "java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE" => "OTHERS_WRITE",
        "java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE" => "OTHERS_EXECUTE",
        _ => return None,
    })
}
