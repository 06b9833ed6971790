//! What the analysis knows about Python APIs: taint sources, sanitisers, calls that return clean
//! data, and the types some factories return.

use crate::analysis::{last_segment, SinkKind, SinkSet, SourceKind};

/// Qualified module attributes that are untrusted input when read.
pub fn source_reference(qualified: &str) -> Option<SourceKind> {
    match qualified {
        "sys.argv" | "sys.orig_argv" => Some(SourceKind::CommandLine),
        "os.environ" | "os.environb" => Some(SourceKind::Environment),
        "sys.stdin" => Some(SourceKind::Stdin),
        _ => None,
    }
}

/// Qualified functions whose result is untrusted input.
pub fn source_call(qualified: &str) -> Option<SourceKind> {
    match qualified {
        "input" | "raw_input" | "fileinput.input" => Some(SourceKind::Stdin),
        "os.getenv" | "os.getenvb" | "os.environ.get" => Some(SourceKind::Environment),
        "getopt.getopt" | "getopt.gnu_getopt" => Some(SourceKind::CommandLine),
        _ => None,
    }
}

/// Methods whose result is untrusted input whatever the receiver (sockets, argument parsers).
pub fn source_method(method: &str) -> Option<SourceKind> {
    match method {
        "recv" | "recvfrom" | "recvmsg" | "recv_bytes" => Some(SourceKind::Network),
        "parse_args" | "parse_known_args" | "parse_intermixed_args" => {
            Some(SourceKind::CommandLine)
        }
        _ => None,
    }
}

/// Whether a value of this type (or this qualified reference) is a web request object.
pub fn is_request_type(type_name: &str) -> bool {
    matches!(
        type_name,
        "flask.request" | "quart.request" | "bottle.request" | "sanic.request"
    ) || matches!(
        last_segment(type_name),
        "Request" | "HttpRequest" | "WSGIRequest" | "ASGIRequest" | "BaseRequest"
    )
}

/// Attributes and methods of a request object that carry client-controlled data (Flask, Django,
/// Starlette/FastAPI, aiohttp, Django REST framework). `method`, `user` and `session` are not.
pub fn is_request_data(attribute: &str) -> bool {
    matches!(
        attribute,
        "args"
            | "form"
            | "values"
            | "json"
            | "data"
            | "cookies"
            | "headers"
            | "files"
            | "view_args"
            | "get_json"
            | "get_data"
            | "stream"
            | "query_string"
            | "path"
            | "full_path"
            | "url"
            | "GET"
            | "POST"
            | "body"
            | "COOKIES"
            | "META"
            | "FILES"
            | "get_full_path"
            | "query_params"
            | "path_params"
            | "query"
            | "match_info"
            | "post"
            | "text"
            | "read"
            | "content"
            | "environ"
    )
}

/// How a call sanitises its arguments' taint.
pub enum Sanitizer {
    /// The result carries no untrusted data at all (numeric conversion, UUID parsing).
    Clean,
    /// The result is safe for these sink kinds only.
    For(SinkSet),
}

/// The sanitiser behaviour of a qualified call, if it is one.
pub fn sanitizer(qualified: &str) -> Option<Sanitizer> {
    let set = |kinds: &[SinkKind]| Some(Sanitizer::For(SinkSet::of(kinds)));
    match qualified {
        "int"
        | "float"
        | "bool"
        | "len"
        | "complex"
        | "abs"
        | "ord"
        | "hash"
        | "id"
        | "isinstance"
        | "issubclass"
        | "callable"
        | "uuid.UUID"
        | "os.path.exists"
        | "os.path.isfile"
        | "os.path.isdir"
        | "os.path.getsize"
        | "hmac.compare_digest" => Some(Sanitizer::Clean),
        // A digest keeps nothing of its input an attacker (or a log reader) could use.
        "hashlib.md5" | "hashlib.sha1" | "hashlib.sha224" | "hashlib.sha256" | "hashlib.sha384"
        | "hashlib.sha512" | "hashlib.sha3_256" | "hashlib.sha3_512" | "hashlib.blake2b"
        | "hashlib.blake2s" | "hmac.new" => Some(Sanitizer::Clean),
        "shlex.quote" | "pipes.quote" => set(&[SinkKind::Command]),
        "os.path.basename" | "werkzeug.utils.secure_filename" | "werkzeug.secure_filename" => {
            set(&[SinkKind::Path])
        }
        "html.escape"
        | "markupsafe.escape"
        | "flask.escape"
        | "bleach.clean"
        | "cgi.escape"
        | "jinja2.escape"
        | "django.utils.html.escape"
        | "markupsafe.Markup.escape" => set(&[SinkKind::Html]),
        // Percent-encoding leaves only letters, digits, `_.-~`, `/` and `%`: no shell or markup
        // metacharacter survives, but `/` and `..` do, so it does not make a path safe.
        "urllib.parse.quote" | "urllib.parse.quote_plus" | "urllib.parse.urlencode" => {
            set(&[SinkKind::Url, SinkKind::Html, SinkKind::Command])
        }
        "re.escape" | "regex.escape" => set(&[SinkKind::Regex]),
        "ldap.filter.escape_filter_chars"
        | "ldap.dn.escape_dn_chars"
        | "ldap3.utils.conv.escape_filter_chars"
        | "ldap3.utils.dn.escape_rdn" => set(&[SinkKind::Ldap]),
        // Both escape line breaks, so a log record stays one line.
        "repr" | "json.dumps" => set(&[SinkKind::Log]),
        "MySQLdb.escape_string"
        | "pymysql.converters.escape_string"
        | "psycopg2.sql.Identifier"
        | "psycopg2.sql.Literal"
        | "psycopg.sql.Identifier"
        | "psycopg.sql.Literal" => set(&[SinkKind::Sql]),
        // Flask's and Django's template engines escape what they insert.
        "flask.render_template"
        | "flask.templating.render_template"
        | "django.shortcuts.render"
        | "django.shortcuts.render_to_response"
        | "django.template.loader.render_to_string" => set(&[SinkKind::Html]),
        // URLs built from this site's routes: arguments only fill in path segments and the query.
        "flask.url_for" | "flask.helpers.url_for" | "django.urls.reverse" => set(&[SinkKind::Url]),
        _ if is_safe_url_function(qualified) && !is_validator(qualified) => set(&[SinkKind::Url]),
        _ => None,
    }
}

/// Whether an application function's name says it makes or checks a safe redirect target
/// (`get_safe_redirect`, `safe_url`, `is_safe_redirect_url`).
fn is_safe_url_function(qualified: &str) -> bool {
    let last = last_segment(qualified);
    last.contains("safe") && (last.contains("url") || last.contains("redirect"))
}

/// The type given to SQLAlchemy expression-language statements (`select(...)`).
pub const SQL_STATEMENT: &str = "sqlalchemy.sql.Executable";

/// The type of the object a qualified factory call returns, when it is not the class itself.
pub fn factory_type(qualified: &str) -> Option<&'static str> {
    Some(match qualified {
        "ssl.create_default_context" | "ssl._create_unverified_context" | "ssl.SSLContext" => {
            "ssl.SSLContext"
        }
        "requests.session" | "requests.Session" | "requests.sessions.Session" => "requests.Session",
        "httpx.Client" => "httpx.Client",
        "httpx.AsyncClient" => "httpx.AsyncClient",
        "sqlite3.connect" => "sqlite3.Connection",
        "sqlalchemy.text" | "sqlalchemy.sql.text" | "sqlalchemy.sql.expression.text" => {
            "sqlalchemy.sql.elements.TextClause"
        }
        // Statements of SQLAlchemy's expression language, and what their methods (`where`,
        // `order_by`, `values`, ...) return: values in them are bound parameters.
        "sqlalchemy.select"
        | "sqlalchemy.insert"
        | "sqlalchemy.update"
        | "sqlalchemy.delete"
        | "sqlalchemy.union"
        | "sqlalchemy.union_all"
        | "sqlalchemy.sql.select"
        | "sqlalchemy.sql.insert"
        | "sqlalchemy.sql.update"
        | "sqlalchemy.sql.delete"
        | "sqlalchemy.sql.expression.select"
        | "sqlalchemy.future.select"
        | "sqlmodel.select" => SQL_STATEMENT,
        _ if qualified.starts_with(SQL_STATEMENT)
            && qualified[SQL_STATEMENT.len()..].starts_with('.')
            && !qualified.ends_with(".compile") =>
        {
            SQL_STATEMENT
        }
        "socket.socket" | "socket.create_connection" => "socket.socket",
        // IPython's shell object (notebooks): `get_ipython().system(cmd)` runs a shell command.
        "get_ipython" | "IPython.get_ipython" | "IPython.core.getipython.get_ipython" => {
            "IPython.InteractiveShell"
        }
        "xml.etree.ElementTree.parse" | "xml.etree.cElementTree.parse" => {
            "xml.etree.ElementTree.ElementTree"
        }
        "xml.etree.ElementTree.fromstring"
        | "xml.etree.ElementTree.XML"
        | "xml.etree.cElementTree.fromstring" => "xml.etree.ElementTree.Element",
        "lxml.etree.parse" => "lxml.etree._ElementTree",
        "lxml.etree.fromstring" | "lxml.etree.XML" | "lxml.etree.HTML" => "lxml.etree._Element",
        "lxml.html.fromstring" | "lxml.html.document_fromstring" => "lxml.html.HtmlElement",
        "logging.getLogger" | "logging.root" => "logging.Logger",
        "tarfile.open" | "tarfile.TarFile.open" => "tarfile.TarFile",
        "open" | "io.open" | "codecs.open" | "builtins.open" => "io.TextIOWrapper",
        "csv.writer" => "csv.writer",
        "hashlib.md5" | "hashlib.sha1" | "hashlib.sha224" | "hashlib.sha256" | "hashlib.sha384"
        | "hashlib.sha512" | "hashlib.sha3_224" | "hashlib.sha3_256" | "hashlib.sha3_384"
        | "hashlib.sha3_512" | "hashlib.blake2b" | "hashlib.blake2s" | "hashlib.new" => {
            "hashlib.HASH"
        }
        "botocore.session.get_session" | "botocore.session.Session" => "botocore.session.Session",
        "boto3.Session.get_credentials"
        | "boto3.session.Session.get_credentials"
        | "botocore.session.Session.get_credentials" => "botocore.credentials.Credentials",
        "botocore.credentials.Credentials.get_frozen_credentials" => {
            "botocore.credentials.ReadOnlyCredentials"
        }
        _ => return None,
    })
}

/// Whether a value of this type holds AWS credentials (`session.get_credentials()`).
pub fn is_aws_credentials_type(type_name: &str) -> bool {
    matches!(
        type_name,
        "botocore.credentials.Credentials"
            | "botocore.credentials.ReadOnlyCredentials"
            | "botocore.credentials.RefreshableCredentials"
    )
}

/// Attributes of AWS credentials objects that are secret (the access key id is not).
pub fn is_aws_secret_attribute(attribute: &str) -> bool {
    matches!(attribute, "secret_key" | "token")
}

/// Whether a call's result contains the text of its arguments (string building and encoding),
/// so a secret passed in is still readable in the result.
pub fn keeps_text(qualified: &str, method: Option<&str>) -> bool {
    if let Some(method) = method {
        if matches!(
            method,
            "format"
                | "format_map"
                | "join"
                | "encode"
                | "decode"
                | "strip"
                | "lstrip"
                | "rstrip"
                | "upper"
                | "lower"
                | "replace"
                | "ljust"
                | "rjust"
                | "center"
                | "zfill"
        ) {
            return true;
        }
    }
    matches!(
        qualified,
        "str"
            | "repr"
            | "bytes"
            | "format"
            | "base64.b64encode"
            | "base64.standard_b64encode"
            | "base64.urlsafe_b64encode"
            | "base64.encodebytes"
            | "json.dumps"
            | "dict"
            | "list"
            | "tuple"
    )
}

/// Calls that end the current path (after `if x not in ALLOWED: abort(400)` x is safe).
pub fn is_terminating_call(qualified: &str) -> bool {
    matches!(
        qualified,
        "flask.abort"
            | "abort"
            | "sys.exit"
            | "exit"
            | "quit"
            | "os._exit"
            | "fastapi.HTTPException"
    )
}

/// Methods that add their arguments to the receiver container.
pub fn is_container_insert(method: &str) -> bool {
    matches!(
        method,
        "append"
            | "extend"
            | "insert"
            | "add"
            | "update"
            | "appendleft"
            | "extendleft"
            | "setdefault"
    )
}

/// Functions that return whether their first argument is safe to use (redirect targets).
pub fn is_validator(qualified: &str) -> bool {
    matches!(
        qualified,
        "django.utils.http.url_has_allowed_host_and_scheme" | "django.utils.http.is_safe_url"
    ) || {
        // Applications wrap Django's check or write their own under the same kind of name.
        let last = last_segment(qualified);
        let last = last.trim_start_matches('_');
        last == "url_has_allowed_host_and_scheme"
            || ((last.starts_with("is_") || last.starts_with("has_"))
                && is_safe_url_function(qualified))
    }
}

/// Whether a call looks up stored records by key (`Model.objects.get(pk=x)`,
/// `Users.get_user_by_id(x)`, `session.query(M).filter_by(id=x)`, `get_object_or_404(M, pk=x)`):
/// on a trusted receiver the result is stored data, not the key, so the key's taint does not
/// carry over. `dict.get(key, default)` keeps the default's taint (see [`lookup_keeps_default`]).
/// `name` is the qualified call name, `method` the called attribute, `is_method` whether it is
/// called on a value (not on a module).
pub fn is_record_lookup(name: &str, method: Option<&str>, is_method: bool) -> bool {
    let last = last_segment(name);
    if matches!(last, "get_object_or_404" | "get_list_or_404") {
        return true;
    }
    let Some(method) = method else {
        return false;
    };
    // `requests.get(url)` is a module function, not a lookup; `Model.objects.get` is reached
    // through the model's import.
    let on_records = is_method || name.contains(".objects.");
    let by_key = ["get_", "find_", "fetch_", "load_", "lookup_"]
        .iter()
        .any(|p| method.starts_with(p))
        && (method.contains("_by_") || method.ends_with("_by"));
    by_key
        || (on_records
            && matches!(
                method,
                "get" | "filter" | "filter_by" | "exclude" | "get_or_none" | "in_bulk"
            ))
}

/// Whether a record lookup's positional arguments after the first keep their taint in the result
/// (`mapping.get(key, default)` returns the default).
pub fn lookup_keeps_default(method: Option<&str>) -> bool {
    method == Some("get")
}

/// Server-side web frameworks: a file importing one of them handles web requests.
const WEB_FRAMEWORKS: [&str; 14] = [
    "django",
    "rest_framework",
    "flask",
    "werkzeug",
    "quart",
    "fastapi",
    "starlette",
    "aiohttp.web",
    "sanic",
    "tornado.web",
    "pyramid",
    "falcon",
    "bottle",
    "ninja",
];

/// Whether the file imports a server-side web framework, so that an unannotated `request`
/// parameter is taken for the framework's request object.
pub fn serves_web_requests(imports: &crate::analysis::Imports) -> bool {
    WEB_FRAMEWORKS.iter().any(|f| imports.imports(f))
}

/// Whether a route parameter annotated with this (qualified) type is parsed by the framework into
/// a value that carries no text: numbers, booleans, UUIDs and dates, also optional
/// (`Optional[int]`, `int | None`).
pub fn is_converted_parameter_type(annotation: &str) -> bool {
    let inner = annotation
        .strip_prefix("typing.Optional[")
        .or_else(|| annotation.strip_prefix("Optional["))
        .and_then(|rest| rest.strip_suffix(']'))
        .or_else(|| annotation.strip_suffix("|None"))
        .or_else(|| annotation.strip_prefix("None|"))
        .unwrap_or(annotation);
    matches!(
        inner,
        "int"
            | "float"
            | "bool"
            | "uuid.UUID"
            | "pydantic.UUID4"
            | "datetime.datetime"
            | "datetime.date"
            | "decimal.Decimal"
    )
}

/// The variables of a route pattern that the framework converts to numbers or UUIDs before the
/// view runs (no text reaches the view): Flask, Quart and Werkzeug `<int:id>`, `<float:x>`,
/// `<uuid:u>` (also with arguments, `<int(min=1):page>`), Bottle `<id:int>`, `<x:float>`.
pub fn converted_route_variables(pattern: &str) -> Vec<&str> {
    let converts = |converter: &str| {
        matches!(
            converter.split('(').next().unwrap_or(converter).trim(),
            "int" | "float" | "uuid"
        )
    };
    pattern
        .split('<')
        .skip(1)
        .filter_map(|rest| {
            let (first, second) = rest.split_once('>')?.0.split_once(':')?;
            if converts(first) {
                Some(second.trim())
            } else if converts(second) {
                Some(first.trim())
            } else {
                None
            }
        })
        .collect()
}

/// Whether a (qualified) class is a class-based view base: its subclasses' HTTP methods
/// ([`is_view_method`]) answer requests and return the response.
pub fn is_view_class(qualified: &str) -> bool {
    matches!(
        qualified,
        "flask.views.MethodView"
            | "flask.views.View"
            | "flask.MethodView"
            | "quart.views.MethodView"
            | "quart.views.View"
    )
}

/// Whether a method of a class-based view answers requests.
pub fn is_view_method(name: &str) -> bool {
    matches!(
        name,
        "get" | "post" | "put" | "patch" | "delete" | "dispatch_request"
    )
}

#[cfg(test)]
mod tests {
    use super::converted_route_variables;

    #[test]
    fn route_patterns_name_their_numeric_variables() {
        assert_eq!(
            converted_route_variables("/users/<int:user_id>/posts/<slug>"),
            vec!["user_id"]
        );
        assert_eq!(
            converted_route_variables("/p/<int(min=1):page>/<uuid:ref>/<float:x>"),
            vec!["page", "ref", "x"]
        );
        assert_eq!(
            converted_route_variables("/b/<id:int>/<name:re:[a-z]+>"),
            vec!["id"]
        );
        assert!(converted_route_variables("/<path:rest>/<string:s>/<name>").is_empty());
        assert!(converted_route_variables("/plain").is_empty());
    }
}
