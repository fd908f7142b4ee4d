import DRCore
import Testing

struct RedactorTests {
  @Test func registeredSecretsAreMasked() {
    let registry = SecretRegistry()
    registry.register("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let text = Redactor(registry: registry).redact("signing with wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY failed")
    #expect(text == "signing with *** failed")
  }

  @Test func shortValuesAreNotRegistered() {
    let registry = SecretRegistry()
    registry.register("abc")
    #expect(Redactor(registry: registry).redact("abc abc") == "abc abc")
  }

  @Test func aSecretContainingAnotherIsMaskedWhole() {
    let registry = SecretRegistry()
    registry.register("token-1234")
    registry.register("token-1234-extended")
    #expect(Redactor(registry: registry).redact("x token-1234-extended y") == "x *** y")
  }

  @Test(arguments: [
    ("postgresql://dr_user:s3cr3t-pw@127.0.0.1:5432/db", "postgresql://dr_user:***@127.0.0.1:5432/db"),
    ("connect host=h password=hunter22 dbname=x", "connect host=h password=*** dbname=x"),
    (
      "GET /b/k?X-Amz-Signature=0123abcd&X-Amz-Security-Token=FQoGZX%2Fabc",
      "GET /b/k?X-Amz-Signature=***&X-Amz-Security-Token=***"
    ),
    (
      "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
      "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=***"
    ),
    ("x-amz-security-token: FQoGZXIvYXdzEPT", "x-amz-security-token: ***"),
    ("AWS_SECRET_ACCESS_KEY=abcdef123 DR_WEBHOOK_SECRET=zzz", "AWS_SECRET_ACCESS_KEY=*** DR_WEBHOOK_SECRET=***"),
    ("http://user:pa%40ss@host/", "http://user:***@host/"),
  ])
  func secretShapesAreMasked(_ input: String, _ expected: String) {
    #expect(Redactor(registry: SecretRegistry()).redact(input) == expected)
  }

  @Test func harmlessTextIsUnchanged() {
    let text = "backup 20261124T221900Z-7f3a uploaded to s3://bucket/prefix/ in 12.5 s (postgresql://u@h/db)"
    #expect(Redactor(registry: SecretRegistry()).redact(text) == text)
  }

  @Test func environmentSecretsAreRegistered() {
    let registry = SecretRegistry()
    registry.registerEnvironment([
      "AWS_SECRET_ACCESS_KEY": "secret-from-env", "AWS_ACCESS_KEY_ID": "AKIAVISIBLE", "PGPASSWORD": "pgpass-value",
      "AWS_SESSION_TOKEN": "session-token-value", "HOME": "/root",
    ])
    let text = Redactor(registry: registry).redact("secret-from-env AKIAVISIBLE pgpass-value session-token-value /root")
    #expect(text == "*** AKIAVISIBLE *** *** /root")
  }

  @Test func secretValuesPrintAsMask() {
    let secret = Secret("do-not-print-me")
    #expect("\(secret)" == "***")
    #expect(String(reflecting: secret) == "***")
  }
}
