//! Strings on their way into a page, each encoded for where it lands: the base URL checked
//! and percent-encoded, HTML text and attributes escaped, Markdown text escaped and Markdown
//! link destinations in their `<...>` form.

/// Why `base_url` cannot prefix the pages' paths, or `None` where it can: a path (`/images/`,
/// `img`, `../static/`) or an `http(s)` URL; no other scheme (`javascript:`, `data:`), no
/// control character, quote, angle bracket, backslash or backtick, and no `?` or `#` (the
/// file names would land in a query or a fragment).
#[must_use]
pub fn base_url_problem(base_url: &str) -> Option<&'static str> {
    if base_url.chars().any(char::is_control) {
        return Some("a path or an http(s) URL without control characters (newlines, tabs)");
    }
    if base_url.chars().any(|c| "\"'<>\\`".contains(c)) {
        return Some("a path or an http(s) URL without quotes, angle brackets, backslashes or backticks");
    }
    if base_url.contains(['?', '#']) {
        return Some("a folder's path or URL, without a query (?) or fragment (#): file names are appended to it");
    }
    match split_scheme(base_url) {
        Some((_, authority, _)) if !authority_ok(authority) => {
            Some("an http(s) URL whose host is a name or address, with an optional :port (no user@)")
        }
        // A path whose first segment holds a colon would be read as a scheme (`javascript:`).
        None if first_segment(base_url).contains(':') => {
            Some("a path (/images/sgd/) or an http(s) URL (https://example.com/img/); no other scheme")
        }
        _ => None,
    }
}

/// `(scheme, authority, rest)` of an `http://` or `https://` URL, any case.
fn split_scheme(url: &str) -> Option<(&str, &str, &str)> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        5
    } else if lower.starts_with("http://") {
        4
    } else {
        return None;
    };
    let after = &url[scheme_len + 3..];
    let end = after.find('/').unwrap_or(after.len());
    Some((&url[..scheme_len], &after[..end], &after[end..]))
}

fn authority_ok(authority: &str) -> bool {
    let (host, port) = authority.rsplit_once(':').unwrap_or((authority, "0"));
    !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !port.is_empty()
        && port.chars().all(|c| c.is_ascii_digit())
}

fn first_segment(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

/// Bytes a path keeps as they are; every other byte is percent-encoded. (`:` is encoded:
/// after a scheme it is as good, and no page then holds `javascript:` whatever the path.)
fn keeps(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$()*+;=@/".contains(&b)
}

/// `path`, percent-encoded (an existing `%XX` is kept).
fn encode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_kept = b == b'%' && bytes.len() > i + 2 && bytes[i + 1..i + 3].iter().all(u8::is_ascii_hexdigit);
        if keeps(b) || escape_kept {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The base URL as a folder, percent-encoded: `/images/fastai` links
/// `/images/fastai/data.png`, never `/images/fastaidata.png`. Whatever `base_url` holds (the
/// library does not require [`base_url_problem`] to pass), the result holds no quote, angle
/// bracket, space, control character or scheme but `http(s)`.
#[must_use]
pub fn folder_url(base_url: &str) -> String {
    let encoded = match split_scheme(base_url) {
        Some((scheme, authority, rest)) if authority_ok(authority) => {
            format!("{}://{}{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase(), encode_path(rest))
        }
        _ => encode_path(base_url),
    };
    if encoded.is_empty() || encoded.ends_with('/') {
        encoded
    } else {
        format!("{encoded}/")
    }
}

/// A file name of the folder as a path segment (`line_sgd_1e+20_16.gif` as it is).
#[must_use]
pub fn file_segment(name: &str) -> String {
    encode_path(name).replace('/', "%2F")
}

/// Text for an HTML attribute or element.
#[must_use]
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Text for Markdown (link text, alt text, paragraphs): every ASCII punctuation mark that
/// means something to `CommonMark` is escaped with a backslash, and line breaks become spaces.
#[must_use]
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown link destination in its `<...>` form, for a URL [`folder_url`] and
/// [`file_segment`] made (no `<`, `>` or line break can be in it; checked anyway).
#[must_use]
pub fn markdown_destination(url: &str) -> String {
    let safe: String = url.chars().map(|c| if matches!(c, '<' | '>') || c.is_control() { '_' } else { c }).collect();
    format!("<{safe}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_http_urls_pass_and_other_schemes_do_not() {
        for ok in
            ["", "/", "/images/sgd/", "img", "../static/img", "https://example.com/img", "HTTP://a.b:8080/x", "/a b/é/"]
        {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)//",
            "JavaScript:alert(1)",
            " javascript:x",
            "data:text/html,x",
            "<script>alert(3)</script>",
            "/a\"b/",
            "/a'b/",
            "/x\n## Heading\n",
            "/x\t/",
            "/x?y=1",
            "/x#y",
            "https://evil@example.com/",
            "https:///x",
            "/a\\b",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn folder_urls_are_encoded_whatever_they_hold() {
        assert_eq!(folder_url(""), "");
        assert_eq!(folder_url("/images/fastai"), "/images/fastai/");
        assert_eq!(folder_url("/a b/"), "/a%20b/");
        assert_eq!(folder_url("/%20/é"), "/%20/%C3%A9/");
        assert_eq!(folder_url("HTTPS://Example.com:8080/a,b"), "https://example.com:8080/a%2Cb/");
        assert_eq!(folder_url("javascript:alert(1)//"), "javascript%3Aalert(1)//");
        assert_eq!(folder_url("<script>\n"), "%3Cscript%3E%0A/");
        assert_eq!(folder_url("\"onload=x"), "%22onload=x/");
        assert_eq!(file_segment("line_sgd_1e+20_16.gif"), "line_sgd_1e+20_16.gif");
    }

    #[test]
    fn text_is_escaped_for_where_it_lands() {
        assert_eq!(escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assert_eq!(markdown_text("[x](javascript:y)\n# h"), "\\[x\\](javascript:y) \\# h");
        assert_eq!(markdown_destination("/a b/<x>"), "</a b/_x_>");
    }
}
