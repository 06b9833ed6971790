// Synthetic credentials written for Codeward's tests; none of them is real.
import java.net.HttpURLConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import com.amazonaws.auth.BasicAWSCredentials;
import com.auth0.jwt.algorithms.Algorithm;

class Credentials {
    // expect: java/hardcoded-credentials@v1.0
    private static final String DB_PASSWORD = "Wq7rTz9pLm";
    // expect: java/hardcoded-credentials@v1.0
    private String apiKey = "Jk4hG7fD1sA9qW3e";

    Connection open() throws Exception {
        // expect: java/hardcoded-credentials@v1.0
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", "Hk3vQ8zR2n");
    }

    void aws() {
        // expect: java/hardcoded-credentials@v1.0
        BasicAWSCredentials c = new BasicAWSCredentials(KEY_ID, "q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka2Ti");
        // expect: java/hardcoded-credentials@v1.0
        Algorithm a = Algorithm.HMAC256("Mf8rL2sP6qT1");
    }

    void http(HttpURLConnection conn, DataSource ds) {
        // expect: java/hardcoded-credentials@v1.0
        conn.setRequestProperty("Authorization", "Basic Rt5yU8iO2pA4sD7f");
        // expect: java/hardcoded-credentials@v1.0
        ds.setPassword("Zp4mT7wQ1x");
        // ok: java/hardcoded-credentials@v1.0
        conn.setRequestProperty("Accept", "application/json");
        // ok: java/hardcoded-credentials@v1.0
        ds.setPassword(System.getenv("DB_PASSWORD"));
    }

    // ok: java/hardcoded-credentials@v1.0
    private static final String PASSWORD_FIELD = "password";
    // ok: java/hardcoded-credentials@v1.0
    private String password = "changeme";
    // ok: java/hardcoded-credentials@v1.0
    private String token = "";
    // A password inside a JDBC URL is reported by secrets/password-in-url only.
    // ok: java/hardcoded-credentials@v1.0
    private String dbSecret = "jdbc:mysql://root:Nv8bC5xZ2m@db:3306/app";
    // ok: java/hardcoded-credentials@v1.0
    private String passwordHash = "5f4dcc3b5aa765d61d8327deb882cf99";
}
