// CheckConfig lists the keys of a server.properties that the broker does not
// know, so that a misspelt key fails loudly instead of being ignored:
//
//   java -cp 'libs/*' CheckConfig.java server.properties
//
// (Java's single-file source launcher; kafka.sh check-config runs it.) It
// asks kafka.server.KafkaConfig's ConfigDef, the broker's own list of keys.
import java.io.FileReader;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

public class CheckConfig {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CheckConfig server.properties");
            System.exit(2);
        }
        Properties props = new Properties();
        try (FileReader r = new FileReader(args[0])) {
            props.load(r);
        }
        Object def = Class.forName("kafka.server.KafkaConfig").getMethod("configDef").invoke(null);
        @SuppressWarnings("unchecked")
        Set<String> known = (Set<String>) def.getClass().getMethod("names").invoke(def);
        Set<String> unknown = new TreeSet<>();
        for (String k : props.stringPropertyNames()) {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            System.err.println(args[0] + ": keys unknown to the broker: " + String.join(", ", unknown));
            System.exit(1);
        }
        System.out.println(args[0] + ": all " + props.size() + " keys are broker configs");
    }
}
