package com.example.web;

import java.io.IOException;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.jsp.JspWriter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

@RestController
public class ProfileController {
    @GetMapping("/greet")
    public ResponseEntity<String> greet(@RequestParam String name) {
        return ResponseEntity.ok("<p>Hello " + name + "</p>"); // expect: java/cross-site-scripting@v1.0
    }

    @GetMapping("/greet-safe")
    public ResponseEntity<String> greetSafe(@RequestParam String name) {
        return ResponseEntity.ok("<p>Hello " + HtmlUtils.htmlEscape(name) + "</p>"); // ok: java/cross-site-scripting@v1.0
    }

    @GetMapping("/users/{id}")
    public ResponseEntity<String> user(@PathVariable String id) {
        return ResponseEntity.status(200).body("<h2>" + id + "</h2>"); // expect: java/cross-site-scripting@v1.0
    }

    @GetMapping("/users/{id}/age")
    public ResponseEntity<String> age(@PathVariable int id) {
        return ResponseEntity.ok("<h2>" + id + "</h2>"); // ok: java/cross-site-scripting@v1.0
    }

    @GetMapping("/static")
    public ResponseEntity<String> fixed() {
        String body = "<p>maintenance</p>";
        return ResponseEntity.ok(body); // ok: java/cross-site-scripting@v1.0
    }

    @GetMapping("/echo")
    public ResponseEntity<String> echo(HttpServletRequest request) {
        return ResponseEntity.ok().body("<pre>" + request.getHeader("User-Agent") + "</pre>"); // expect: java/cross-site-scripting@v1.0
    }

    @GetMapping("/echo-safe")
    public ResponseEntity<String> echoSafe(HttpServletRequest request) {
        return ResponseEntity.ok().body("<pre>" + HtmlUtils.htmlEscape(request.getHeader("User-Agent")) + "</pre>"); // ok: java/cross-site-scripting@v1.0
    }

    public void notFound(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(404, "No page " + request.getRequestURI()); // expect: java/cross-site-scripting@v1.0
        response.sendError(404, "No such page"); // ok: java/cross-site-scripting@v1.0
    }

    public void tag(JspWriter out, HttpServletRequest request) throws IOException {
        Map<String, String> labels = new java.util.HashMap<>();
        labels.put("title", "Profile");
        labels.put("user", request.getParameter("user"));
        out.print(labels.get("title")); // ok: java/cross-site-scripting@v1.0
        out.print(labels.get("user")); // expect: java/cross-site-scripting@v1.0
    }
}
