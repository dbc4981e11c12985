// The Content-Security-Policy of the app, the same in Electron (meta tag + header) and browser mode:
// scripts and styles only from the app itself, no inline script, no eval, no remote content.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
