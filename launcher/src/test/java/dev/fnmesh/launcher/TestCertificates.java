package dev.fnmesh.launcher;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.security.auth.x500.X500Principal;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A test CA with a server certificate for localhost and client certificates, written as the PEM files
 * {@code --tls-cert}, {@code --tls-key} and {@code --tls-client-ca} read.
 */
final class TestCertificates {

  private final KeyPair caKeys = keyPair();
  private final X509Certificate ca;
  private long serial = 1;

  TestCertificates() throws Exception {
    ca = sign(new X500Name("CN=fnmesh test CA"), caKeys, true, null);
  }

  /** Writes the CA certificate; returns its path. */
  Path writeCa(Path dir) throws Exception {
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, pem("CERTIFICATE", ca.getEncoded()));
    return file;
  }

  /** Writes {@code name.pem} and {@code name.key} for {@code subject}; the server's names localhost and 127.0.0.1. */
  Issued issue(Path dir, String name, String subject) throws Exception {
    KeyPair keys = keyPair();
    // Through X500Principal, which reads the RFC 2253 order (most specific first) that tools print subjects in.
    X509Certificate certificate = sign(X500Name.getInstance(new X500Principal(subject).getEncoded()), keys, false, keys);
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new Issued(cert, key, certificate, keys);
  }

  /** A TLS context that trusts this CA and, when given, shows {@code client}'s certificate. */
  SSLContext context(Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    if (client != null) {
      identity.setKeyEntry("client", client.keys().getPrivate(), new char[0], new Certificate[] {client.certificate(), ca});
    }
    keyManagers.init(identity, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  record Issued(Path cert, Path key, X509Certificate certificate, KeyPair keys) {}

  private X509Certificate sign(X500Name subject, KeyPair subjectKeys, boolean isCa, KeyPair leaf) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        isCa ? subject : X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(serial++),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
        subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (leaf != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
