//! Credentials made at test time, so that the repository holds none (and no line of a
//! test reads like one): each is put together from pieces and pseudo-random characters.
//! `src/secret/tests.rs` includes this file too, for its generator.

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `length` characters of `alphabet`, the same for the same seed.
pub fn random(seed: u64, length: usize, alphabet: &str) -> String {
    let alphabet = alphabet.as_bytes();
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            alphabet[(state >> 33) as usize % alphabet.len()] as char
        })
        .collect()
}

pub fn base64url(bytes: &[u8]) -> String {
    const URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let mut bits = 0u32;
        for byte in chunk {
            bits = bits << 8 | u32::from(*byte);
        }
        bits <<= 8 * (3 - chunk.len() as u32);
        for index in 0..=chunk.len() {
            out.push(URL[(bits >> (18 - 6 * index) & 63) as usize] as char);
        }
    }
    out
}

/// One credential of each kind the scanner knows.
pub struct Planted {
    pub aws_id: String,
    pub aws_key: String,
    pub github: String,
    pub gitlab: String,
    pub slack: String,
    pub stripe: String,
    pub jwt: String,
    /// A private key block, its lines joined with `\n`, without a final line break.
    pub private_key: String,
    /// The password of a `postgres://` URL.
    pub password: String,
    /// A value given to `API_KEY=`.
    pub api_key: String,
}

impl Planted {
    pub fn new(seed: u64) -> Planted {
        let jwt_header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let jwt_body = base64url(br#"{"sub":"ops","iat":1700000000}"#);
        let key_lines: Vec<String> = (0..6)
            .map(|line| random(seed + 100 + line, 64, BASE64))
            .collect();
        Planted {
            aws_id: ["AK", "IA", &random(seed + 1, 16, UPPER)].concat(),
            aws_key: random(seed + 2, 40, BASE64),
            github: ["gh", "p_", &random(seed + 3, 36, ALNUM)].concat(),
            gitlab: ["gl", "pat-", &random(seed + 4, 20, ALNUM)].concat(),
            slack: [
                "xo",
                "xb-",
                &random(seed + 5, 12, "0123456789"),
                "-",
                &random(seed + 6, 24, ALNUM),
            ]
            .concat(),
            stripe: ["sk", "_live_", &random(seed + 7, 24, ALNUM)].concat(),
            jwt: [
                jwt_header.as_str(),
                ".",
                &jwt_body,
                ".",
                &random(seed + 8, 43, ALNUM),
            ]
            .concat(),
            private_key: [
                "-----BEGIN RSA ",
                "PRIVATE KEY-----\n",
                &key_lines.join("\n"),
                "\n-----END RSA PRIVATE KEY-----",
            ]
            .concat(),
            password: random(seed + 9, 14, ALNUM),
            api_key: random(seed + 10, 32, ALNUM),
        }
    }

    /// What must never leave: each credential, and the part of it after the prefix
    /// that redaction keeps (`AKIA`, `ghp_`, a key's `BEGIN` line).
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![
            self.aws_id.clone(),
            self.aws_id[4..].to_string(),
            self.aws_key.clone(),
            self.github.clone(),
            self.github[4..].to_string(),
            self.gitlab.clone(),
            self.gitlab[6..].to_string(),
            self.slack.clone(),
            self.slack[5..].to_string(),
            self.stripe.clone(),
            self.stripe[8..].to_string(),
            self.jwt.clone(),
            self.jwt[self.jwt.find('.').unwrap()..].to_string(),
            self.password.clone(),
            self.api_key.clone(),
        ];
        secrets.extend(
            self.private_key
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .map(String::from),
        );
        secrets
    }

    /// The first secret `bytes` hold, if any.
    pub fn leaked_in(&self, bytes: &[u8]) -> Option<String> {
        let text = String::from_utf8_lossy(bytes);
        self.secrets()
            .into_iter()
            .find(|secret| text.contains(secret.as_str()))
    }
}
