import java.util.Random;

class Tokens {
    long token() {
        Random r = new Random();
        return r.nextLong();
    }
}
