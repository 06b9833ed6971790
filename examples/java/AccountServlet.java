package com.example.bank;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Random;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** A small account service with the mistakes Codeward's Java detectors find. */
public class AccountServlet extends HttpServlet {
    private static final String DB_URL = "jdbc:postgresql://localhost/bank";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String owner = request.getParameter("owner");
        String query = "SELECT id, balance FROM accounts WHERE owner = '" + owner + "'";
        try (Connection conn = DriverManager.getConnection(DB_URL);
                Statement st = conn.createStatement()) {
            // SQL injection: the owner parameter is concatenated into the query.
            ResultSet rs = st.executeQuery(query);
            while (rs.next()) {
                response.getWriter().println(rs.getLong("id") + ": " + rs.getBigDecimal("balance"));
            }
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            // XML external entity: the uploaded statement is parsed with DTDs enabled.
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            DocumentBuilder builder = dbf.newDocumentBuilder();
            InputStream body = request.getInputStream();
            Document statement = builder.parse(body);
            String account = statement.getDocumentElement().getAttribute("account");
            response.getWriter().println("imported " + account.length() + " characters");
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    /** Issues a password-reset token. */
    String resetToken() {
        // Weak random: java.util.Random is predictable.
        Random random = new Random();
        byte[] token = new byte[24];
        random.nextBytes(token);
        return Base64.getUrlEncoder().encodeToString(token);
    }

    /** Hashes a password for storage. */
    String hashPassword(String password) throws NoSuchAlgorithmException {
        // Insecure hashing: MD5 is broken and far too fast for passwords.
        MessageDigest md = MessageDigest.getInstance("MD5");
        return Base64.getEncoder().encodeToString(md.digest(password.getBytes()));
    }
}
