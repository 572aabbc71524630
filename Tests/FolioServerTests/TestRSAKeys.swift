import CryptoExtras

/// RSA keys for the editors' proofs in these tests, fixed here and used by no one else: making
/// a 2048-bit key in a debug build (BoringSSL at -O0) takes a core for about a second, and the
/// tests that made their own held both cooperative threads of a two-core run at once, long
/// enough for unrelated timing tests to fail. Keys 0–2 are `ProofTestKeys`', 3–6 the clusters'.
enum TestRSAKeys {
    static func key(_ index: Int) -> _RSA.Signing.PrivateKey {
        try! _RSA.Signing.PrivateKey(pemRepresentation: pems[index])
    }

    static let pems: [String] = [
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDiWLAo/I1GqI2e
        le61tSn9IO1O1Zwy1QjEmp4m8WkOHdau6xbL/oGvLPiYn3OmHgWQjOTM9lWaAcIo
        NUl5wAYZ635DHsjrUn+Sh3oCNHkpoDD2FU6TWdmdm25yql/6ljp5j3OA3v5BadzJ
        N1Hzf/9Cl78biOaMCjcsfFyvZHEdkBCILLnuI7ZvkHflxP+qRjUJ/AaaJls8/4/y
        1ijbfYv8aFpd5bT6SEcnpumvSNBrFjUTz0phdFdl36+UqYNWl3xDjxzKZISM83qA
        NP1o/3twgMP4bMWNuKYkHRndId7JnSD7hhXmUcIzG+nwPRsaxKhuEZE8RtfZCfdb
        2ICX7++vAgMBAAECggEAbIgLG/QRR9atZWPOHMnb8tiVgW4SohsdQ6xB9jleXtr2
        5FOsUC9efqEpKIGYggg2MdwlH5Rkcl6yevYmH59wLYCKP+PkglXB/wBABAumJ0v8
        /ho0XZpBKv3rBUdlkzHyovQidaI3NyVsLP1+KaxvuL4rcCgCKBcD4qxVAvK9/GZ/
        XfvzXXYGAHICU8DOoRkdt4DptXH1OqJQOeODe7z5gFg7+35GmTtwDq/lpHMOK4Yb
        ICTgYHk7psssyg7vftPRTCSTSRsVGHPddv5IZuDlNsoXOgrV4Jw/Ax7mTtpp5ZJF
        FAunyZxVSS7gZnFVTF2qnZ4ZSUOLaL4IEySU09yWOQKBgQD3qEVkyMJAQ8FFiDuf
        7d8Gx/vUb74LK4ktkmmzKirZlZ5xZYGjKnr+DdQ0dR5G4HnarZ/VYbOERjI5kOaw
        +5UifRqDWC3/RWfLLsNyMYSZqpAyuy/ToTn8kqHzygyS36LsJA27MVpAQsJCBWZn
        Wg+ZHrOH81vfzj+duhiyAE+LlwKBgQDp+KNPexhZ3tMjLqX2BgZvKxE5eWcfOJLQ
        CxdSVKgl0p9EvzueCZv21ykaYS2dnSI4LHN3zoXhLinae9OXQjJJrZO6UNqlj0rS
        r/co3uiikSbkZ+WR/a7S08576YnLLcqoeH39LswBjLu+SPlJRKLeaZCT99MlqQda
        SUTLgVafqQKBgCClVthtOmX8SHrg9XMkiRS8we6D+FpCl+eg+Dv83/8koOkzxz35
        +JKKwiFUGvSe3JE99+bJ5T8XfcFm33IPB96u/RK5Sf7vaDo5ZNwluOQEvtNhJ3HP
        O/SWY7DePoAR6MkWC5VUcSAtbKwFSDVxgsLdcC8InmDHME2bXWwBbHrrAoGBAJbM
        qnWP4SILfAoxBsaLG5qLJ47jsJNu4zEz9NQbvESkfALTPpmdl+iAxP07pSrxHB0Y
        iVOuyJtaJZ+sL7RN9huGxLBRbJtIv/ELeUHeahJde7O7QzvVRdicq3kyDJ3n5bav
        8oQ8pUBadKcwYXvXwSGY6JZ2JKEhUJvgnXaM5kgBAoGBAOc2cpRBIRSmmVmJqRq/
        S55osVUtOL/JfqrTGSBZaJeJ7yREHz2xpmTefEviktgpCE71uue/NU8GVf8bt8kI
        IzM84xUp5X/HUGO9fBI+VmNyNUshmCLc86rweAu0u3WOctx+nLMlSeE0CSJKoZgk
        xuUy57JMC8vydLA0Em2HKBcp
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCqLB0Auh4F/keU
        j4Fe/O1R1F8H7S8ysLdA9XOkvGo7gC7Y9tpXxNPvuWw38aEAM0LmQGXqXDyGs8P0
        pbSgBOfb5CmMlzls0/zZrI8UULOfAsiZ2C7Ph5BqRjGcIVs1fdzR/7ETNs5mXb/d
        F5CLR+mR+OdQMMkzILciRcPsNmnDu2B32qFRp5w3WYfJVXz1C3a27SvfKcx7oDqk
        ApwmfKa1LtBgUQsHpWIajknf4PmoPsVrW0kpY2GkCVg6krlEJaNHnwNNTw0IWUBg
        hYLOyLHxJjVYm6XXLclPC7QvffyrDGn99MNvHR5mI+uU5WqUc37sgl6r/8+ZFo/7
        9zUYiA4bAgMBAAECggEAOw3Z9sGf36aRgp2WYLdXSBlx7RdDVMz8mz9SpW15VDK0
        jziDJwg4IC3xvyxMGfywD6VzeLQPkRNbQlAq8YkiSS3RuWdVV03tpkB62qry2pCl
        urXJ8Nzzod3AI5VzyIloEzwvYCKZ1+5awcgGsj7/cFe3Nh3oBKUqyGr7hcKQS4ru
        b1N7krEDZmnJe+mm11YpDnhtJF84atsw4zzsjEWvqpDDte1GwsliFVHBJ4IpNOPX
        kqX4ZMS5xFOoFu2CmcWZ0JoHiT15JvtLi+VUAUReqUjl10XEx5f4GuD6jt1tMgko
        VJ+cJp9/ZN5VsjGASaAhWnRj7KgSY/Z/k3jWepEWAQKBgQDmC6TRH3pjwGbFvi9H
        9I0b5ypcD+Wtz/upQQDCu5Eldu3lTBb0DNMu2S0PbVXKX8TTszvII/8cqmdJUMD1
        YSi96hsfpCXUzNQMtUll7uMUKvzArYOaii+K338miOyLHPYcVhK0KcKIDkwWJ3iA
        5km7bFwHNZ2tOpJPugMoCYrhAQKBgQC9XypJvRU7iGSu6U/BqOAN4Shbv8YB8ZrH
        JD6lgHYxfXavo3CYib1VKZYDvUJFKiPrRnDDGRPTlzn6iHUqZ7JCu7hdPG/qXkB/
        zcJPec9luNbsfSDBgD7Yv7QdLiwAfhDInwCoFSXAHF5LRiZ6L6Zewx2oqgnC3wHr
        qAI8AO9TGwKBgENSRwJ4Ds4gYTMfTCDnnV/8D3ZvpIxwIDrQ7hMO5xQqsMX4tYLo
        Oeks3zXzjjayPhyiCC2y8xaFe8KF4mIs88pYN2XUGMokwy2Q5BDzjvq49czBOpFA
        PVeLvl8dlPPFHvT9721QB0Dfxj55gJdgTVWPCYOGmkU2rditG/1chYsBAoGAP4kC
        QyMxUHv+a8DThYIHSiDUzZOV92j8KPw8GIL1JL2XaG5JhKQR5dTCBBcneNUen/1O
        L+bmBAOk7C2EQenwoPsibAWu9s8QjNCX9NpFfzd4xHdm2gUREN+gqnmnQbMKJoVS
        TxJpS/84k8DBgBUkmH6WINSL2dnAZzRDK6aUpSkCgYBj6Yn7Ht8bv3NQrL9tMbVD
        B58tuwV88/vSpa+9vwujD1GTJZZzPnmY/NxG2calbfIShb0QPY0SGzZYtzU17+NI
        1Lfiseqxzv93fCt2t8UlZmq38ld70WxzBEufsge60GfJV5eW7wm7okDTpzSIc6cV
        zjpDE40XS+as5kDT9bKwhg==
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDClt0SIr1qk2o1
        /EhWnJt9k1V2hMumHqelMvVzobPv+b/SjtQiUZBYF4lWYn1Q/uIAxvInkehBsa6N
        ZhOzZwKUE0ZqwCehGexMBpCiWNveMxzNrqSpEWzLmn0cuxTewbUVqT9pJ7zfyvv5
        hnyI0PqBgDch788CEKkz5gpwrjLdXsdUwfxyY2dcjcI6aOQmUAzqQrQTnJBSOBuU
        fjlHbRAHqobvvfqlCk/D6AYO+m+E+rhA/bZRWN+LU1VHsKZAFDHfznJ+rbQcAaS3
        3ptzwRk8bNgNkFhvq3d/eBHCYzYbNsr29notnZomXz3iBtAYkoEkPeERqkky4I3j
        kn6YfEHDAgMBAAECggEABwlxoTBEbVA7bQxciVVMgjQLySdwPeep5F19ZtsYKLt9
        Zl3n6f3NHIJtYwRYx88P2TtYknnCTm3ghBiG6dv1yekQiNe+FyNa2jz6igRwnw52
        IjIInlyU9J/3mkxhqtSSeeAO/PyE5grvJczpQAFercQ3OjDz6X00wT22bvC9wieV
        CKWZqip29oHPirNiT4jK7B1gdyhTOi7Y15SK+B+QQQ4fdlHhIlFFU2tMpdP3KCTk
        eaK4yy0qErxmZN7l2LT3o9C1OGAERPK28hFsE6dab7wFe0YMaLudYwJO7sEsACjE
        3zof3EnTxN1lv/g2q9SgDv1xyVhb/yMJ78vODIwFkQKBgQD7CZX8VnUrDRNE1aaN
        vZoDz9biv0TWnuhuj0DvYaMET2aiS1EWPCbAIq7iDCxzBhiN9LMK43YjCA8d4fEO
        UZLcpV3lC9CAYwPXt0kOsC1aBKZyHt2QTvfPmIhkY0JnFn/7Bh8Y10bRH+6WrBV3
        ii6KZ1U808tPGxO0853vMKV83QKBgQDGb5zz0gh4Q0wJi1REYQfc7y6eEl3y5P2w
        Nv5dDXteZNXgRhb4Q3ipsgGc3jqLf4a3T55xwlwDKqQ6t3xUWxUQA1BAbHcqHOik
        Fl0mP20RMXXm+xAkgXt5YzBHEqQTW3n+0g6RQI2m0St0uijMISdFMyIFzbvVoz8D
        Z+HILzr/HwKBgFm8hHvuX/Xit6ecg+wZAawpKJRncPETXtzeooSvrzlENNkA+Vxs
        ZiG6hC9T0LPRUwezmCjlRH6jS9wPvz6yFECBcH4G6iJqwp3i69+vRJbwIJucwvDp
        +ZWg3eicvsjg9yDBgG49zhfFRWFg5E+V+qsI4yRaRUvizvmZODSffBiVAoGBAL9S
        D36ZS6dAI0i0eBuxfdZLGaQ4SzKMC/hhHV/0RrUc/YTNrwnQa78ZLCrlrIag/u8w
        qbA+114KN+uQyyO96ZHV0AM9UKte0gKauVbOIkdIa8e22rqHyNehhYOQ+nbbZMUG
        HBt5pNlopMBXWExvzqAOi8gSsv5o9bE/8FWFDBm7AoGAANsJJlhwsT5E2pJJNzXL
        gSunmzwEjDcdWBA3FGjqGRoSd0mHg64RhUQBMyjH9qM/PC53nwJL4tgZlWxsvvIJ
        SCKc0Oz1zu4LL5hGrUleIBEXi5/2u4jf6f9NsfB8KatW/ZU65QI8jy7sE2xfMFAA
        /7ca8WqFUsJB/qhAFJk/dI4=
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDz76jzzjj1thYY
        w6muz30gEFpw05OGP7FFE5y/cmalr7tzSUgKOgXJSs38q2acoj2LlP+7d4/0poxO
        B42MFm/oF1DqAhRKAdxys3XM8Z3owA8pWS5OdYID6VWJKwLA5EUWdqAjTWbm9L2Z
        J3bFnmFvcNONH6Af3SOkUFGbbZpThO+eF61G9c2x/mhKY/q6ciOKec1hRXv04a+s
        OnMygskZcB7/ce4kI77jc4lAsDDSkmMUwKpOQA+O3MUGEQgMkbzTZYyprHNuJCVn
        TUbHzVU8jCxmurUOd7eb1kQcTmkbz7mpPzb6Lg4Ul5fG8FpcrZVzVRShhl2v5IJo
        WevRUsurAgMBAAECggEAA+iBEnbpXrZuIDNyUoSsgokAifI52NrIYkzwI/kXP+xS
        2oQADXnkgdca+cNdP4Ex7zyR5FUED21jrhRc5jOt01AcUcN6w7zH5WaOqpvsZcA9
        /fGZ1lP3o0xnvGzd/G0r1jJMWoRw855UM1H4iy4AbaKnIQmyrRAD9Cv9Qro80L22
        fwHx6KqnH2rzlQXXET1mfUiJIW4mveO+CbIO2ubEvuYGsoMVX4eNAsGfLKZnbE0z
        6oVcO9jSZKdFAB/yvVkat2m4whXvXPII5v3Fkuyyp+2rhU0GHIKXpKQs9MVSfCaV
        SFYuOaB/ZO+sHnWx2vByfGrjm01A9IWsLQJ3Tw1xQQKBgQD9ElT/sb9b5UCwLz5i
        eiUZfhDBdFhosdKb5jvaUoyFISHEkfNCTVxUlpEYHBQsmGr1eAoSioKK0DeKtNcI
        BAp7IxK6G8YSMgd1MMIyf3RxzkkWMRxWUrx/CfrNw2DrhdFGhnSXBxbgTtNgPpWS
        aHg5sbTUgSSDGR/9vVg42MsO0QKBgQD2wkQpSft+de1DFW+w2z/who2EYC3i+kkf
        IC4/5O4P4Dl78TSUxXythFGi0FqoYfx28bxCn+MBtAACY4ZYdsSuTTrjLihXwWD9
        +2CEwLkNNpgRGLdhxcy85r9HTiHY5jDQDAEZ5rlOlL6YiWARbgoZt4nQakpisHVa
        kQGfGIepuwKBgQDvL4Vgiam3/AxQuMY4owMvfePuQ71PbkoFCOym4wBmzzKwK9WD
        Y8SROiF2bQtwPrpQuJyke374HeVw1oypyc/yI+sONTPWfKxpyaSxv57Z9UNEkzQa
        LmZzl4YRNckDsV1jT68gExY++KF1RJFvaAfBV8D2W/ybX4LJ+kxIpjX9EQKBgGee
        LAEqj/EKlBcXaU9awf6+ga6UtLAbaZkoakNqXo1MGtdw8iOGylQSvDUiSO9sNhe8
        atGPUkPk0hwurrt3JCANTi0XtNkk2xXL+TvFse9afYCwYFEuPksUmj3XEV+DSfwT
        DmNR/35/94kWJsEq9BLYf4aFG7dVYfIl8ghcxJsBAoGBAIH6p7xRXglRQWWAu27p
        HFcBT3Er8n56MzDkuuiD+2G6x+gyniSiIWFgUBYdQLBTQYm8jhUMW5uKErz4dQQm
        pT1JbJKRytg+er7TeoVPokR2ZaJ04TqG3WLe1Jz4PZcCYCMCSIKqj1KB6SpMXtz3
        Il3ZRflnAUyRwHTXQCph+XWs
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCjm/7gN2FeLG5f
        D0AIicEPFdsarjb7w+VQ7A/iPpTz0BgoY3K/U4jPhOKeurvr5qd4bdMwvz1mlFyH
        jVcbYgk9tj+SLb/fMfdRTYD7Yt55swPsszjyaBGo67tfwfZsfVFPRS/9UHc43otv
        NSAQ60HMeLzrATp0vpC2J933Er16wnAK3hcxxY1gSiSysYsGpNcdI+HEU4jn9GQI
        /YYkJh227srCQRWjdc8nnh12oM8hWZVM9ha9wer/GZNVgBIcnT/CZ78pi2LjD5at
        s+/zATPtTitAW9I1eRur41uHsJhDvGa3H+UodLCRy7uK8qOMCbD9BX6LRQpOVsrR
        UiskEa1bAgMBAAECggEAPKUTrj/I7zPv+3t3JFMPhUx4KWUfS2ZbJ4pA/v9sjg16
        DuqB+6p2oVlj+StFghU+yXSIHl8c3tuqirJY8fT+cOoPmVss7ooiXvgoEcadqaWy
        FDiAqNXrid5LV5zZf3BaRdRjC/YaIzHWpHOgPbU+cBDnEgMkDGcg0+xmKfG/23MD
        05jpPkMiMScj5537d10WtJVFCcu4+HGBZZe2xB6U/Z0kcOrKDP/r1CApVAYurqEi
        1WLBakXgxalanUX3tEMQxnN0q69IXAFfoFM+vW/dFhy82Ou+RsUVfc7Yj13j4YC8
        SL0iFo6QbFBd/uX2evocS2mmJy9yDMWY74Ur/DF0bQKBgQDhMcH8Exguji2eLqxd
        tgArdwH8dhm2F3KL5cS1mfHREJisQzCAnAMYVPy52Mx6OFhunrtqxWY1tZWw9tUx
        1MLl6hxicwb4L7DdDit4QRxplDIxVVqiSLqcadxW3LfvQXzYDf1zaULAiT4wh9U3
        lWL4jwm/Yf/aBnsjRt8QE5uq7wKBgQC5/Yxp3sZR9LBrG7rUMzhMxCPpmr8aXK/g
        gQAgLHvv6Ud0YIXF3Dcd8w0oqef3ri/w9NmnU+fx+J36siqSx7SHYrzrvduNPJdV
        yCjI9WPWz07VjIM7cAqbUobX1gKO6XdldjRC0si2riyJC0LsXgEGYs2L4kigeUPV
        Tp96FWzUVQKBgFYxMUpGFK9dA+DThG2px47bUgtLOLQVbWZWX2ASuBeI/qaQYPQY
        wqaBgOmxLTJqdo6AesN3IpPUGKNPFnKoOKC/ZnXYCQbdWhiB3+l7ImDWtA9l1/bd
        V2+epRMqD8yniB053ZRa6Y2/+emhU96ecu8n8FcsLz1H1cG+0onYt3BJAoGAFLPr
        cFFy4+aHyLRifIJjDvB6SuOFyCpvDV9uoyYweYkPAh5IZbjYjcXjPhaDkqdaAMlQ
        fPazB9UzyJcSdBo0tyk/fEI68SLAebT5DT17aorS7KRiazhShe2OwvG4gS3ts2aP
        9Kw/2U3T+UE+ps7j8FEJLjv2953n9hN1XwKJha0CgYAGDXBCGtlkk+mnRP5AM6pW
        cK1ba4ZLsmhmkhB2kjssdaxEEWylO67BHx12gkYmg7VV27vDwFyRPsdE4+bdGWBt
        JQqifIYEcUOsN+MvnPztou0LV46grn9zfnARrqmC3LehpsGOXgy+qwF2RLsbYVsV
        5gPhIBehyiBQh1SJyyJG6w==
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDgqf8sR1t2jOjD
        6K1I46SV1YCo7J9zbVCtFO6QkrRnv+lb5jPhYT9HIDvSQ5tO3aQmeet+Medqi84o
        EjiRGrZq+/A2x0w3pguA0zbW8OP9YIJQqAIAgFJQubjHhzsS67FmzYzRjsDKsixR
        CUBkpg01EH/4wfyNDktWkhryfsW+oNlu+WPQfcazrRn+igS0tQZoZFHv89OnJBA8
        tletcL2H56O2cMzjcy3kQSPfr46xC2zu5J7r+0Ai0OMG5/XkPI9uC3+GzgnhoRa/
        DNOZ8eEgXV+qEIOi0+1KCQOKNypQAxz3SAs218ZwtiPeSnzFmRqAMeUmT9kadiSp
        lzJrmxetAgMBAAECggEAMHJoPO+sWQ282hZQW+H/KXJver4ACn+dwJ09br68GY1o
        cLFdKbJzV06rp8V9dc3U6pkq/70aNr8sNzbqrNvST5LBs8ZZeLydSWwCrOooeAi6
        QVNhjyMc3RyXrKtMQWHDETStM7lxeKRgax8wHCQ0v+cteYK3h+F3vJToK7fLw7X7
        ca4kg8qNqYx8cGRjAJfr2QOUe2UbGoWJr3FeceZ6DYKWKldQd5vEu7G5TDp4LDyZ
        CtA1enFsFNULAeaFhI4CR6VHw9JEJRlzGj/4TBmrZRI/FizLioNZtbL8XRtdAvqs
        LaGaxClEiTnFJWCTWkoHvNv3t/R3evMp8RL+yOpYfwKBgQD7VeU2gZxWt0xC92Sq
        4e1DrQpVR0TjKeSFNYfadMtAdtVWQ3jBDIiraTSEsLY1YPGZVUF6WFs/lh/zstBt
        EpoI/U+l/DvaA0MBl0qAxCWtpA4MZ4V9KoQ3QaBLDriiDMOqa8knEpespiUxOjnt
        3H06cRjRwO0fIcvCUf1FkEcz7wKBgQDk1WJay1Vg8vu8P4edGaK8dNfPDDFKLgXa
        uzD0aIhvIMPWXf4zE5FDdjasm2a3MgkMNXhHeujuBesvKgoDfMTdH5lOti47p4Zb
        J4EQ6C8rJg5h+Fuyo/yijM/TcZ4s/yvKZMVyuSrQGj7Pmu5atSsXOl6GROTzfqd8
        4mTcrFriIwKBgQCBAJeDoIcEI1TrUlvDMe88O0cAenIrPsdicBVo1WW1ksjxW/RQ
        8gP8JyWjraf4Qef/0bin+U3slzuTNAay1Udmsc393jdCMUZlPKgq64KDW58yUrg7
        hGUUj4ScwdOWqYKMqII4odxj62tPlxlAs1k7c+1PS/zpa8lP1hFvcRx61QKBgQDk
        QBu86Lie3X9PhCbnAt0aEYn5kfXQQhvA05q/D02XWx08Q8D8fXYVzmI2xUMtVBFG
        RkdVNToFwY2XG92lINzUm2I16u4uvqj7X2oTzSTPa0RJYItGot+p276o79mQlG2/
        kciI6D3WGXexaJ57h94VazlBwJKGdjzmCoQEwT5d9QKBgAuarHyAGE9JLjSAGyKY
        u7mFo78HVyEg7AbpHS3ysjsiFUVLrJL/Wnlpc3HxZKG7eMT+877tAfNVCIk9mi7F
        VRBZ+YF6cvCZdC3ZffoJ5aF98irgp3uEbFwY/BX1kNJZATt1CavoAmBcKzEpQf51
        wgqBqCV0JnxtKDTVXw0Lw1PM
        -----END PRIVATE KEY-----
        """,
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCbggMydMHVTc6W
        5Ko94KbWnbw35dW+dAcjHRAIwIofyqyuG14zus8538lZdNPP0fPtKw2bGrjELkxT
        xrLyh0ZM+sdhoHm5GaVtL2v+0gOJ3OkIxxew2j2iSjzShpg/tcseEeWzVQTcPTX/
        rS/HGzbQ3rAKH5scbVUrTzTY5u05xAEef23dvWB8UEJLTQqCUM4pG46OJszKRafd
        L6rVijfOFn+qAhg5iMZWfGEEubCj/TgFoju++wQHhsD3vbNlkutypDIq/0zMtTVr
        sEMvn6BLp+br07MB0MEsJenQS5d/ZqbtjokR09Hc3wnzmqdZv+jK+QgobsznxykP
        MPmW4HsXAgMBAAECggEAPEOKpKONuHFyNZTBCsDENxiip9DoX+nMGEX7gEDJZl+f
        Qsu1WnuzMfzxJTs6mGeHTappF+onn1NH3hF7KLTWwB9RZBqSAXMYYjNF+Vb+6w7S
        ukWZfz5cM0fswTNKzinP4MPTzgcNHqKUChTeFp2LxS7/brTn4gDWyDVmSAZZ+Y/K
        B6h0j+tkwm8y4G3zXygD6jQDwWoEeuOklT56eC7LpcZxQYJEb84YQRsN0vLg8R/f
        w194bL6sknWXjd8AikzDkvfBUCg8wFFsawAwVObsWITQlTJ64tn6Rsv5vGr3y41p
        NWWvcEUBYXfTguySd2uAVFYyIijHMR1S1MrAdXKH5QKBgQDayt3sq1pn/P/Od/PT
        YsHC/XABIe4lIZhC5SmpDwLeo5zCpucdpxOXm0DyNUkBU/inEOsE/H74XCbq/0qI
        r5vr+y9S99zD+vpEpwSMLBB6d5g5i5yXifelL1wvmEEfg8FJNLc2MpWFTIQ1wbye
        7CQxXY91ZE1LipkplLFK/zvnjQKBgQC19AzKhzP0/xCx66Rz08+LCjTEq6PmOD3g
        qItN4DgiJmhPZov31bByG3myMXvS8w3n/ziwqrcuICqj0Grq33CbKnlrh9l48XB2
        ygRZAR4Hz77Yy06G1tNjRgo3m1gn9Gqt5KN8PV5TbvlDJ65PwJ7HOqAa3oKrn9Tt
        0AeMmftCMwKBgQCnNporcb4zcVlzy5sud/CL/LOoOe1OtYEvxwJy8UUJMNPytCo4
        MGO5327gbbbw6+NCk5x6gBrt50fbG+cz1bp9vMgrScGQinTRGTBRjK+/WT2e5UN1
        UX1R4oM64MsMsd57+2z2X+yEJrl4eCuW7fSvQckNN+4XCMML01c4cR6wVQKBgQCa
        E3dhaOwOYo74mto/WvU8f///Knk30hhTzWVpJJ1kDbH2ypdr3n/zoGCFDHIWR8tW
        0UBoGafUX1i8Lxjamyr3uhfnfrohOBJMBPV5iQCtDLZHTqHIfNG0FvM/80PLUaWk
        ayAlbLIbZLWesFNjJXFOs84v8owkWMwuNSKvZRTnEQKBgHMuJ77NhQaKyeRXsfJM
        c5h1WIQnb6T9dH6wuDLbVExsLT/xg2YDxkwN4MM/QZ9jCXZ1UUZTgnPY8hKCN4gx
        5jWIoTNqlC/dPTjS5bHhQNfoU27G+7OKgf4CNIB1OQEMujPhDuy81OnAvbsBU8i0
        t3/GmzkwOjHSKF2LnsRHSkPN
        -----END PRIVATE KEY-----
        """,
    ]
}
