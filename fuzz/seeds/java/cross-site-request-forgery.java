package com.example.security;

import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

public class SecurityConfig {
    @Bean
    public SecurityFilterChain legacy(HttpSecurity http) throws Exception {
        http.csrf().disable() // expect: java/cross-site-request-forgery@v1.0
            .authorizeRequests().anyRequest().authenticated();
        return http.build();
    }

    @Bean
    public SecurityFilterChain lambda(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()); // expect: java/cross-site-request-forgery@v1.0
        return http.build();
    }

    @Bean
    public SecurityFilterChain block(HttpSecurity http) throws Exception {
        http.csrf(csrf -> { // expect: java/cross-site-request-forgery@v1.0
            csrf.disable();
        });
        return http.build();
    }

    @Bean
    public SecurityFilterChain reference(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable).build(); // expect: java/cross-site-request-forgery@v1.0
    }

    @Bean
    public SecurityFilterChain chained(HttpSecurity http) throws Exception {
        http.cors().and().csrf().disable(); // expect: java/cross-site-request-forgery@v1.0
        return http.build();
    }

    @Bean
    public SecurityFilterChain defaults(HttpSecurity http) throws Exception {
        return http.csrf(Customizer.withDefaults()).build(); // ok: java/cross-site-request-forgery@v1.0
    }

    @Bean
    public SecurityFilterChain cookie(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())); // ok: java/cross-site-request-forgery@v1.0
        return http.build();
    }

    @Bean
    public SecurityFilterChain other(HttpSecurity http) throws Exception {
        http.headers().frameOptions().disable(); // ok: java/cross-site-request-forgery@v1.0
        http.httpBasic(basic -> basic.disable()); // ok: java/cross-site-request-forgery@v1.0
        return http.build();
    }

    public void lookAlike(Feature feature) {
        feature.disable(); // ok: java/cross-site-request-forgery@v1.0
    }
}
