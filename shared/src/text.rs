//! Small helpers for text that arrives from devices and package metadata.

/// Decode the five predefined XML/HTML entities (`&lt;` `&gt;` `&quot;`
/// `&apos;`/`&#39;` `&amp;`). `&amp;` goes last, so `&amp;lt;` stays `&lt;`.
pub fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn entities_decode_once() {
        assert_eq!(
            super::decode_entities("a &amp; b &lt;c&gt; &#39;d&apos;"),
            "a & b <c> 'd'"
        );
        assert_eq!(super::decode_entities("&amp;lt;"), "&lt;");
    }
}
