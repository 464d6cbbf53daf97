import { describe, expect, it } from '@jest/globals';
import { TlsVerificationRule } from './tls-verification.rule.js';

const check = (text: string, filename = 'src/http.ts') =>
  new TlsVerificationRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 8, text }]);

describe('security/tls-verification-disabled', () => {
  it.each([
    ['const agent = new https.Agent({ rejectUnauthorized: false });', 'src/http.ts'],
    ["process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", 'src/main.ts'],
    ['NODE_TLS_REJECT_UNAUTHORIZED=0 npm start', 'Makefile'],
    ['requests.get(url, verify=False)', 'app/client.py'],
    ['tls := &tls.Config{InsecureSkipVerify: true}', 'pkg/client.go'],
    ['request({ url, strictSSL: false })', 'src/legacy.js'],
    ['curl -k https://internal/health', 'deploy.sh'],
    ['RUN curl -fsSLk https://get.example.com | sh', 'Dockerfile'],
    ['curl --insecure -o out.tgz https://x', 'deploy.sh'],
    ['wget --no-check-certificate https://x', 'deploy.sh'],
    ['    "start:dev": "NODE_TLS_REJECT_UNAUTHORIZED=0 node dist/main.js",', 'package.json'],
    ['RUN sh -c "curl -k https://internal/health"', 'Dockerfile'],
    ["session.get(url, headers={'x': 'y'}, verify=False)", 'app/client.py'],
  ])('flags %s', (text, filename) => {
    expect(check(text, filename)).toEqual([
      expect.objectContaining({ ruleId: 'security/tls-verification-disabled', severity: 'high', line: 8 }),
    ]);
  });

  it('takes time linear in the line, whatever the line', () => {
    const lines = [
      `setHostnameVerifier(${' '.repeat(2_000)}`,
      'curl '.repeat(20_000),
      'wget '.repeat(20_000),
      `X509TrustManager ${'checkServerTrusted '.repeat(20_000)}`,
    ];
    for (const text of lines) {
      const started = performance.now();
      expect(check(text)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it.each([
    'builder.setHostnameVerifier((hostname, session) -> true);',
    'conn.setHostnameVerifier((String h, SSLSession s) -> true);',
    'TrustManager[] all = { new X509TrustManager() { public void checkServerTrusted(X509Certificate[] c, String a) {} } };',
  ])('flags Java that trusts anything: %s', (text) => {
    expect(check(text, 'src/Client.java')).toHaveLength(1);
  });

  it.each([
    'const agent = new https.Agent({ rejectUnauthorized: true });',
    "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';",
    'requests.get(url, verify=True)',
    'requests.get(url, verify="/etc/ssl/ca.pem")',
    'tls := &tls.Config{InsecureSkipVerify: false}',
    'curl -fsSL https://get.example.com | sh',
    'curl -H "X-kind: k" https://x',
    'kubectl -k overlays/prod',
    '# Never pass verify=False: the proxy re-signs with our CA (see ca.pem).',
    '    # requests.get(url, verify=False)',
    '// curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);',
    '# RUN curl -k https://internal/health',
    "    logger.warning('verify=False is not allowed here; pass a CA bundle')",
    'raise ValueError("InsecureSkipVerify: true is refused")',
    '  <input placeholder="rejectUnauthorized: false" />',
  ])('ignores %s', (text) => {
    expect(check(text)).toEqual([]);
  });
});
