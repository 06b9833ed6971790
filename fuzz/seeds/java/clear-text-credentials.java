package com.example.db;

import java.sql.Connection;
import java.sql.DriverManager;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Login {
    private static final Logger log = LoggerFactory.getLogger(Login.class);
    private static final String PASSWORD_PARAM = "password";
    private String dbPassword;

    public Connection connect(String url, String user, String password) throws Exception {
        log.info("Connecting to {} as {} with {}", url, user, password); // expect: java/clear-text-credentials@v1.0
        log.debug("db password: " + dbPassword); // expect: java/clear-text-credentials@v1.0
        System.out.println("login " + user + "/" + password); // expect: java/clear-text-credentials@v1.0
        log.info("Connecting to {} as {}", url, user); // ok: java/clear-text-credentials@v1.0
        log.info("password length {}", password.length()); // ok: java/clear-text-credentials@v1.0
        log.warn("empty password: {}", password == null); // ok: java/clear-text-credentials@v1.0
        log.info("reading parameter {}", PASSWORD_PARAM); // ok: java/clear-text-credentials@v1.0
        log.info("password reset requested for {}", user); // ok: java/clear-text-credentials@v1.0
        return DriverManager.getConnection(url, user, password); // ok: java/clear-text-credentials@v1.0
    }

    public void remember(HttpServletResponse response, Account account) {
        response.addCookie(new Cookie("pw", account.getPassword())); // expect: java/clear-text-credentials@v1.0
        response.addCookie(new Cookie("user", account.getName())); // ok: java/clear-text-credentials@v1.0
    }

    public void oauth(String clientId, String clientSecret) {
        log.error("token request failed for " + clientId + " secret=" + clientSecret); // expect: java/clear-text-credentials@v1.0
        log.error("token request failed for " + clientId); // ok: java/clear-text-credentials@v1.0
    }

    interface Account {
        String getPassword();

        String getName();
    }
}
