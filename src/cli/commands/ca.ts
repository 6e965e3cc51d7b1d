/** `eseal ca init`, `eseal cert issue|show|verify`, `eseal crl issue|show` */
import { encodePem } from '../../util/pem.js';
import { toHex } from '../../util/bytes.js';
import {
  validateChain, dnToString, algorithmName, parseCrl, REVOCATION_REASONS, type Certificate, type RevocationReason,
} from '../../pki/index.js';
import { JSON_OPTION, UsageError, str, strs, type Command } from '../command.js';
import { parsePositiveInt, parseTime, printResult, readInput, writeOutput } from '../io.js';
import { loadCertificateFiles, loadCertificates, loadPrivateKey, loadPublicKeyOrCertificate } from '../load.js';
import { initCa, issueCrl, issueFromCa, openCa, saveCaState, type IssueProfile } from '../ca-dir.js';

export const caInit: Command = {
  path: ['ca', 'init'],
  summary: 'make a certificate authority folder: root CA, or an intermediate with --parent',
  usage: '--subject "CN=...,O=...,C=CN" -o CADIR [--days N] [--parent CADIR]',
  details: 'Writes CADIR/ca.key.pem (SM2 key, mode 0600), CADIR/ca.cert.pem and CADIR/ca.json (CRL state).',
  options: {
    subject: { type: 'string', value: 'DN', description: 'CA name, RFC 4514 ("CN=...,O=...,C=CN") or "/C=CN/O=.../CN=..."', required: true },
    out: { type: 'string', short: 'o', value: 'CADIR', description: 'folder to create', required: true },
    days: { type: 'string', value: 'N', description: 'validity in days', default: '3650' },
    parent: { type: 'string', value: 'CADIR', description: 'issue an intermediate CA (e.g. a seal-making authority) under this CA' },
    'path-length': { type: 'string', value: 'N', description: 'basicConstraints pathLenConstraint' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const parent = str(values.parent) ? openCa(ctx, str(values.parent)!) : undefined;
    const pl = str(values['path-length']);
    const ca = await initCa(ctx, str(values.out)!, str(values.subject)!, parsePositiveInt(str(values.days), '--days', 3650), parent, pl === undefined ? undefined : Number(pl));
    const c = ca.certificate;
    printResult(ctx, !!values.json, { dir: ca.dir, subject: dnToString(c.subject), serialNumber: c.serialNumber, notAfter: c.notAfter }, `CA "${dnToString(c.subject)}" created in ${ca.dir}\n  certificate: ca.cert.pem (serial ${c.serialNumber}, valid until ${c.notAfter.toISOString()})\n  private key: ca.key.pem`);
    return 0;
  },
};

export const certIssue: Command = {
  path: ['cert', 'issue'],
  summary: 'issue an SM2 certificate from a CA folder',
  usage: '--ca CADIR --pub pub.pem --subject "CN=...,O=...,C=CN" -o cert.pem [--days N] [--profile holder|maker|tsa|ca]',
  details:
    'Profiles: holder = seal holder / signer (digitalSignature, nonRepudiation; default); maker = seal maker (制章者); tsa = time-stamping authority (critical extendedKeyUsage timeStamping); ca = intermediate CA.\nThe output holds the new certificate followed by the CA chain unless --no-chain is given.',
  options: {
    ca: { type: 'string', value: 'CADIR', description: 'CA folder (from `eseal ca init`)', required: true },
    pub: { type: 'string', value: 'FILE', description: 'the holder\'s SM2 public key (SPKI PEM/DER), or their private key', required: true },
    subject: { type: 'string', value: 'DN', description: 'holder name', required: true },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'certificate output (PEM)', required: true },
    days: { type: 'string', value: 'N', description: 'validity in days (capped at the CA\'s)', default: '730' },
    profile: { type: 'string', value: 'NAME', description: 'holder|maker|tsa|ca', default: 'holder' },
    'no-chain': { type: 'boolean', description: 'write only the new certificate' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const profile = str(values.profile) as IssueProfile;
    if (!['holder', 'maker', 'tsa', 'ca'].includes(profile)) throw new UsageError('--profile must be holder, maker, tsa or ca');
    const ca = openCa(ctx, str(values.ca)!);
    const pubInput = str(values.pub)!;
    let publicKey: Uint8Array;
    try {
      publicKey = loadPublicKeyOrCertificate(ctx, pubInput).publicKey;
    } catch {
      publicKey = loadPrivateKey(ctx, pubInput).publicKey;
    }
    const cert = await issueFromCa(ctx, ca, str(values.subject)!, publicKey, parsePositiveInt(str(values.days), '--days', 730), profile);
    const chain = values['no-chain'] ? [cert] : [cert, ...ca.chain];
    const path = writeOutput(ctx, str(values.out)!, chain.map((c) => encodePem('CERTIFICATE', c.der)).join(''));
    printResult(ctx, !!values.json, describeCertificate(cert), `certificate for "${dnToString(cert.subject)}" written to ${path} (serial ${cert.serialNumber}, valid until ${cert.notAfter.toISOString()})`);
    return 0;
  },
};

export function describeCertificate(c: Certificate) {
  return {
    subject: dnToString(c.subject),
    issuer: dnToString(c.issuer),
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    signatureAlgorithm: algorithmName(c.signatureAlgorithm),
    publicKey: { type: c.spki.keyType, ...(c.spki.keyType === 'sm2' || c.spki.keyType === 'ec' ? { point: toHex(c.spki.publicKey) } : {}) },
    basicConstraints: c.extensions.basicConstraints,
    keyUsage: c.extensions.keyUsage,
    extKeyUsage: c.extensions.extKeyUsage,
    subjectKeyId: c.extensions.subjectKeyId && toHex(c.extensions.subjectKeyId),
    authorityKeyId: c.extensions.authorityKeyId && toHex(c.extensions.authorityKeyId),
    crlDistributionPoints: c.extensions.crlDistributionPoints,
    fingerprintSm3: c.fingerprintSm3,
  };
}

function certificateText(c: Certificate): string {
  const d = describeCertificate(c);
  return [
    `subject:       ${d.subject}`,
    `issuer:        ${d.issuer}`,
    `serial:        ${d.serialNumber}`,
    `valid:         ${d.notBefore} … ${d.notAfter}`,
    `algorithm:     ${d.signatureAlgorithm}; key ${d.publicKey.type}`,
    d.basicConstraints ? `CA:            ${d.basicConstraints.ca}${d.basicConstraints.pathLength !== undefined ? `, path length ${d.basicConstraints.pathLength}` : ''}` : '',
    d.keyUsage ? `key usage:     ${d.keyUsage.join(', ')}` : '',
    d.extKeyUsage ? `ext key usage: ${d.extKeyUsage.join(', ')}` : '',
    `SM3 fingerprint: ${d.fingerprintSm3}`,
  ].filter(Boolean).join('\n');
}

export const certShow: Command = {
  path: ['cert', 'show'],
  summary: 'print the fields of a certificate (every certificate of a PEM bundle)',
  usage: 'cert.pem [--json]',
  positionals: [{ name: 'CERT', required: true, description: 'certificate file (PEM, bundle, or DER)' }],
  options: { json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const certs = loadCertificates(ctx, positionals[0]);
    printResult(ctx, !!values.json, certs.length === 1 ? describeCertificate(certs[0]) : certs.map(describeCertificate), certs.map(certificateText).join('\n\n'));
    return 0;
  },
};

export const certVerify: Command = {
  path: ['cert', 'verify'],
  summary: 'validate a certificate chain up to a trust anchor; exit 0 only if valid',
  usage: 'cert.pem --trust CA.pem [--untrusted FILE] [--crl FILE] [--at TIME] [--require-revocation] [--json]',
  details: 'Certificates after the first in CERT are used as intermediates. Checks signatures, validity at the time (default now), basicConstraints, keyUsage, path length, and revocation against the CRLs given.',
  positionals: [{ name: 'CERT', required: true, description: 'certificate to validate (a PEM bundle may carry its chain)' }],
  options: {
    trust: { type: 'string', multiple: true, value: 'FILE', description: 'trust anchor certificate(s)', required: true },
    untrusted: { type: 'string', multiple: true, value: 'FILE', description: 'extra intermediate certificates' },
    crl: { type: 'string', multiple: true, value: 'FILE', description: 'CRL(s) to check revocation against' },
    at: { type: 'string', value: 'TIME', description: 'validation time, ISO 8601 (default now)' },
    'require-revocation': { type: 'boolean', description: 'fail when revocation cannot be checked' },
    json: JSON_OPTION,
  },
  async run({ values, positionals }, ctx) {
    const [certificate, ...bundled] = loadCertificates(ctx, positionals[0]);
    const result = validateChain({
      certificate,
      intermediates: [...bundled, ...loadCertificateFiles(ctx, strs(values.untrusted))],
      trustAnchors: loadCertificateFiles(ctx, strs(values.trust)),
      crls: strs(values.crl).map((f) => parseCrl(readInput(ctx, f, 'CRL file'))),
      time: str(values.at) ? parseTime(str(values.at)!) : ctx.now(),
      requireRevocation: !!values['require-revocation'],
    });
    const data = {
      valid: result.valid,
      trusted: result.trusted,
      revocation: result.revocation,
      chain: result.chain.map((c) => dnToString(c.subject)),
      problems: result.problems,
    };
    const text = [
      result.valid ? `OK: "${dnToString(certificate.subject)}" chains to "${dnToString(result.chain[result.chain.length - 1].subject)}"` : `INVALID: "${dnToString(certificate.subject)}"`,
      ...result.problems.map((p) => `  ${p.severity === 'error' ? 'error' : 'warning'} ${p.code}: ${p.message}`),
    ].join('\n');
    printResult(ctx, !!values.json, data, text);
    return result.valid ? 0 : 1;
  },
};

export const crlRevoke: Command = {
  path: ['crl', 'revoke'],
  summary: 'record a certificate as revoked in a CA folder (takes effect in the next CRL)',
  usage: '--ca CADIR CERT [--reason REASON] [--at TIME]',
  positionals: [{ name: 'CERT', required: true, description: 'certificate to revoke' }],
  options: {
    ca: { type: 'string', value: 'CADIR', description: 'CA folder', required: true },
    reason: { type: 'string', value: 'REASON', description: `one of ${REVOCATION_REASONS.filter((r) => r !== '(7)').join(', ')}` },
    at: { type: 'string', value: 'TIME', description: 'revocation time (default now)' },
  },
  async run({ values, positionals }, ctx) {
    const ca = openCa(ctx, str(values.ca)!);
    const cert = loadCertificates(ctx, positionals[0])[0];
    if (dnToString(cert.issuer) !== dnToString(ca.certificate.subject)) throw new UsageError(`certificate was issued by "${dnToString(cert.issuer)}", not by this CA`);
    const reason = str(values.reason) as RevocationReason | undefined;
    if (reason && (!REVOCATION_REASONS.includes(reason) || (reason as string) === '(7)')) throw new UsageError(`unknown --reason ${reason}`);
    if (ca.state.revoked.some((r) => r.serialNumber === cert.serialNumber)) throw new UsageError(`certificate ${cert.serialNumber} is already revoked`);
    ca.state.revoked.push({ serialNumber: cert.serialNumber, revocationDate: (str(values.at) ? parseTime(str(values.at)!) : ctx.now()).toISOString(), ...(reason ? { reason } : {}), subject: dnToString(cert.subject) });
    saveCaState(ctx, ca);
    ctx.out(`revoked ${cert.serialNumber} ("${dnToString(cert.subject)}"); run \`eseal crl issue\` to publish a new CRL\n`);
    return 0;
  },
};

export const crlIssue: Command = {
  path: ['crl', 'issue'],
  summary: 'publish a CRL signed by a CA folder',
  usage: '--ca CADIR -o crl.pem [--next-update-days N]',
  options: {
    ca: { type: 'string', value: 'CADIR', description: 'CA folder', required: true },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'CRL output (PEM)', required: true },
    'next-update-days': { type: 'string', value: 'N', description: 'days until nextUpdate', default: '7' },
  },
  async run({ values }, ctx) {
    const ca = openCa(ctx, str(values.ca)!);
    const crl = issueCrl(ctx, ca, parsePositiveInt(str(values['next-update-days']), '--next-update-days', 7));
    writeOutput(ctx, str(values.out)!, encodePem('X509 CRL', crl.der));
    saveCaState(ctx, ca);
    ctx.out(`CRL #${crl.crlNumber} with ${crl.revoked.length} revoked certificate(s) written to ${str(values.out)}\n`);
    return 0;
  },
};

export const crlShow: Command = {
  path: ['crl', 'show'],
  summary: 'print a CRL',
  usage: 'crl.pem [--json]',
  positionals: [{ name: 'CRL', required: true, description: 'CRL file (PEM or DER)' }],
  options: { json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const crl = parseCrl(readInput(ctx, positionals[0], 'CRL file'));
    const data = { issuer: dnToString(crl.issuer), crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, revoked: crl.revoked };
    printResult(ctx, !!values.json, data, [`issuer: ${data.issuer}`, `number: ${crl.crlNumber ?? '-'}`, `this update: ${crl.thisUpdate.toISOString()}`, `next update: ${crl.nextUpdate?.toISOString() ?? '-'}`, `revoked: ${crl.revoked.length}`, ...crl.revoked.map((r) => `  ${r.serialNumber} at ${r.revocationDate.toISOString()}${r.reason ? ` (${r.reason})` : ''}`)].join('\n'));
    return 0;
  },
};
