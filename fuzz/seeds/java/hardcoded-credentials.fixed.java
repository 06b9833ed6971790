// Synthetic credentials written for Codeward's tests; none of them is real.
import java.net.HttpURLConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import com.amazonaws.auth.BasicAWSCredentials;
import com.auth0.jwt.algorithms.Algorithm;

class Credentials {
    // expect: java/hardcoded-credentials@v1.0
    private static final String DB_PASSWORD = System.getenv("DB_PASSWORD");
    // expect: java/hardcoded-credentials@v1.0
    private String apiKey = System.getenv("API_KEY");

    Connection open() throws Exception {
        // expect: java/hardcoded-credentials@v1.0
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", System.getenv("DB_PASSWORD"));
    }

    void aws() {
        // expect: java/hardcoded-credentials@v1.0
        BasicAWSCredentials c = new BasicAWSCredentials(KEY_ID, System.getenv("AWS_SECRET_ACCESS_KEY"));
        // expect: java/hardcoded-credentials@v1.0
        Algorithm a = Algorithm.HMAC256(System.getenv("JWT_SECRET"));
    }

    void http(HttpURLConnection conn, DataSource ds) {
        // expect: java/hardcoded-credentials@v1.0
        conn.setRequestProperty("Authorization", System.getenv("AUTHORIZATION"));
        // expect: java/hardcoded-credentials@v1.0
        ds.setPassword(System.getenv("PASSWORD"));
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
